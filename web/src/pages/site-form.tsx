// Create or edit a site, and the bulk CSV import of sites with their meters.
import { useState } from "preact/hooks";
import { isOneOf, SITE_TYPES } from "../../../src/enums";
import { api, ApiError, type Site, type SiteImportResult } from "../api";
import { useResource } from "../resource";
import { Dialog } from "../ui/feedback";
import { asApiError, Field, fieldError, FormError } from "../ui/form";

const FIELDS = ["name", "postcode", "address", "companyId", "regionId", "siteType", "floorAreaM2"];

export function SiteFormDialog({
  site,
  onClose,
  onSaved,
}: {
  site?: Site;
  onClose: () => void;
  onSaved: (s: Site) => void;
}) {
  const companies = useResource(() => api.get("/api/companies"), []);
  const regions = useResource(() => api.get("/api/regions"), []);
  const [name, setName] = useState(site?.name ?? "");
  const [postcode, setPostcode] = useState(site?.postcode ?? "");
  const [address, setAddress] = useState(site?.address ?? "");
  const [companyId, setCompanyId] = useState(site ? String(site.companyId) : "");
  const [regionId, setRegionId] = useState(site?.regionId ? String(site.regionId) : "");
  const [siteType, setSiteType] = useState(site?.siteType ?? "");
  const [floorArea, setFloorArea] = useState(site?.floorAreaM2 != null ? String(site.floorAreaM2) : "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const companyList = companies.data?.data ?? [];
  const effectiveCompany =
    companyId || String(companyList.find((c) => c.isDefault)?.id ?? companyList[0]?.id ?? "");
  const regionList = (regions.data?.data ?? []).filter(
    (r) => !effectiveCompany || String(r.companyId) === effectiveCompany,
  );
  const area = floorArea.trim() === "" ? null : Number(floorArea);
  const areaError = area !== null && !(area > 0) ? "floor area must be a positive number" : undefined;

  async function submit(e: Event) {
    e.preventDefault();
    if (!name.trim()) {
      setError(new ApiError(400, "client", "a site needs a name", "name"));
      return;
    }
    if (areaError) return;
    setBusy(true);
    setError(null);
    const body = {
      name: name.trim(),
      postcode: postcode.trim() || null,
      address: address.trim() || null,
      ...(effectiveCompany ? { companyId: Number(effectiveCompany) } : {}),
      regionId: regionId ? Number(regionId) : null,
      siteType: isOneOf(SITE_TYPES, siteType) ? siteType : null,
      floorAreaM2: area,
    };
    try {
      const saved = site
        ? await api.patch("/api/sites/{id}", { params: { path: { id: site.id } }, body })
        : await api.post("/api/sites", { body });
      onSaved(saved);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  }

  return (
    <Dialog title={site ? `Edit ${site.name}` : "New site"} onClose={onClose}>
      <form onSubmit={submit} noValidate data-testid="site-form">
        <Field label="Site name" error={fieldError(error, "name")}>
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              required
              maxLength={200}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="form-row">
          <Field label="Postcode" error={fieldError(error, "postcode")}>
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                autoComplete="postal-code"
                value={postcode}
                onInput={(e) => setPostcode(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label="Site type" error={fieldError(error, "siteType")}>
            {(id, d) => (
              <select
                id={id}
                aria-describedby={d}
                value={siteType}
                onChange={(e) => setSiteType(e.currentTarget.value)}
              >
                <option value="">Not set</option>
                {SITE_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t[0].toUpperCase() + t.slice(1)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <Field label="Address" error={fieldError(error, "address")}>
          {(id, d) => (
            <textarea
              id={id}
              aria-describedby={d}
              rows={2}
              value={address}
              onInput={(e) => setAddress(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="form-row">
          <Field label="Company" error={fieldError(error, "companyId")}>
            {(id, d) => (
              <select
                id={id}
                aria-describedby={d}
                value={effectiveCompany}
                onChange={(e) => {
                  setCompanyId(e.currentTarget.value);
                  setRegionId("");
                }}
              >
                {companyList.map((c) => (
                  <option key={c.id} value={String(c.id)}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Region" error={fieldError(error, "regionId")}>
            {(id, d) => (
              <select
                id={id}
                aria-describedby={d}
                value={regionId}
                onChange={(e) => setRegionId(e.currentTarget.value)}
              >
                <option value="">None</option>
                {regionList.map((r) => (
                  <option key={r.id} value={String(r.id)}>
                    {r.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <Field label="Floor area (m²)" error={areaError ?? fieldError(error, "floorAreaM2")}>
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              inputMode="decimal"
              value={floorArea}
              onInput={(e) => setFloorArea(e.currentTarget.value)}
            />
          )}
        </Field>
        <FormError error={error} fields={FIELDS} />
        <div class="form-actions">
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="btn btn--primary" disabled={busy}>
            {busy ? "Saving…" : site ? "Save changes" : "Create site"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function SiteImportDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<SiteImportResult | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    const form = new FormData();
    form.append("file", file);
    try {
      const r = await api.send("/api/sites/import", form);
      setResult(r);
      if (r.sitesCreated || r.metersCreated) onImported();
    } catch (err) {
      setError(asApiError(err));
    }
    setBusy(false);
  }

  return (
    <Dialog title="Import sites from CSV" onClose={onClose} wide>
      <form onSubmit={submit} data-testid="site-import-form">
        <p class="muted">
          One row per meter; rows with the same site name make one site. Columns:{" "}
          <code>name, company, region, postcode, address, type, floor_area, mpan, fuel, meter_name</code>.
          Only <code>name</code> is required; leave <code>mpan</code> empty for a site without meters.
        </p>
        <Field label="CSV file" error={fieldError(error, "file")}>
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => {
                setFile(e.currentTarget.files?.[0] ?? null);
                setResult(null);
              }}
            />
          )}
        </Field>
        <FormError error={error} fields={["file"]} />
        {result && (
          <div class="import-result" data-testid="site-import-result" role="status">
            <p>
              <strong>{result.sitesCreated}</strong> site{result.sitesCreated === 1 ? "" : "s"} and{" "}
              <strong>{result.metersCreated}</strong> meter{result.metersCreated === 1 ? "" : "s"} created
              {result.errors.length
                ? `; ${result.errors.length} line${result.errors.length === 1 ? "" : "s"} refused:`
                : "."}
            </p>
            {result.errors.length > 0 && (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Line</th>
                      <th scope="col">Column</th>
                      <th scope="col">Problem</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.errors.map((er, i) => (
                      <tr key={i}>
                        <td class="num">{er.line}</td>
                        <td>{er.field ?? "—"}</td>
                        <td>{er.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        )}
        <div class="form-actions">
          <button type="button" class="btn" onClick={onClose}>
            {result ? "Done" : "Cancel"}
          </button>
          <button type="submit" class="btn btn--primary" disabled={!file || busy}>
            {busy ? "Importing…" : "Import"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
