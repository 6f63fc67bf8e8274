// The bulk CSV import of sites with their meters: counts of what was created, and each refused line.
import { useState } from "preact/hooks";
import { api } from "../api";
import { useAction } from "../query";
import { DataTable } from "../ui/data-table";
import { Dialog } from "../ui/dialog";
import { Field, Form } from "../ui/form";
import { SITE_DATA } from "./site-dialogs";

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

export function SiteImportDialog({ onClose }: { onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const upload = useAction(
    () => {
      const form = new FormData();
      form.append("file", file!);
      return api.send("/api/sites/import", form);
    },
    { invalidates: SITE_DATA },
  );
  const result = upload.result;

  return (
    <Dialog title="Import sites from CSV" onClose={onClose} wide>
      <Form
        action={upload}
        testid="site-import-form"
        submitLabel="Import"
        busyLabel="Importing…"
        canSubmit={Boolean(file)}
        onCancel={onClose}
        cancelLabel={result ? "Done" : "Cancel"}
      >
        <p class="muted">
          One row per meter; rows with the same site name make one site. Columns:{" "}
          <code>name, company, region, postcode, address, type, floor_area, mpan, fuel, meter_name</code>.
          Only <code>name</code> is required; leave <code>mpan</code> empty for a site without meters.
        </p>
        <Field label="CSV file" name="file">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => {
                setFile(e.currentTarget.files?.[0] ?? null);
                upload.reset();
              }}
            />
          )}
        </Field>
        {result && (
          <div class="import-result" data-testid="site-import-result" role="status">
            <p>
              <strong>{plural(result.sitesCreated, "site")}</strong> and{" "}
              <strong>{plural(result.metersCreated, "meter")}</strong> created
              {result.errors.length ? `; ${plural(result.errors.length, "line")} refused:` : "."}
            </p>
            <DataTable
              rows={result.errors}
              rowKey={(_e, i) => i}
              columns={[
                { header: "Line", class: "num", sort: (e) => e.line, cell: (e) => e.line },
                { header: "Column", cell: (e) => e.field ?? "—" },
                { header: "Problem", cell: (e) => e.message },
              ]}
              empty={null}
            />
          </div>
        )}
      </Form>
    </Dialog>
  );
}
