// The hot path's own CSV split must give exactly papaparse's rows, whatever the text: generated files of
// plain lines (the fast path) and arbitrary text with quotes and carriage returns (handed to papaparse).
import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { csvRows } from "../../../src/imports/domain/rows";

const papa = (text: string, delimiter: string) =>
  Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false }).data;
const delimiter = fc.constantFrom(",", ";", "\t", "|");

describe("csvRows", () => {
  it("splits plain lines as papaparse does (\\n or \\r\\n, empty lines, a final line end or none)", () => {
    fc.assert(
      fc.property(
        delimiter,
        fc.array(fc.array(fc.stringMatching(/^[0-9A-Za-z .:/£-]{0,12}$/), { maxLength: 50 }), {
          maxLength: 30,
        }),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        (d, lines, end, trailing) => {
          const text = lines.map((fields) => fields.join(d)).join(end) + (trailing ? end : "");
          expect(csvRows(text, d)).toEqual(papa(text, d));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("gives papaparse's rows for any text, quotes and stray carriage returns included", () => {
    fc.assert(
      fc.property(delimiter, fc.stringMatching(/^[a1 ,;\t|"\r\n]{0,80}$/), (d, text) => {
        expect(csvRows(text, d)).toEqual(papa(text, d));
      }),
      { numRuns: 2000 },
    );
  });

  it("splits a wide row into its fields", () => {
    // Hand-written: a CRLF file of two rows and a final line end.
    expect(csvRows("1200000000011,2025-01-01,0.5,1\r\n1200000000020,2025-01-01,,2\r\n", ",")).toEqual([
      ["1200000000011", "2025-01-01", "0.5", "1"],
      ["1200000000020", "2025-01-01", "", "2"],
      [""],
    ]);
  });
});
