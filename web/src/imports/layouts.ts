// How an import's layouts read in a picker: the upload form's and a webhook source's.
import { IMPORT_FORMATS } from "../../../src/enums";
import { optionsOfEnum } from "../ui/form";

export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const LAYOUT_OPTIONS = optionsOfEnum(IMPORT_FORMATS, {
  auto: "Detect automatically",
  narrow: "Narrow (one reading per row)",
  wide: "Wide (one day per row)",
  daily: "Daily totals",
  register: "Register reads",
});
