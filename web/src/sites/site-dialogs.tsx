// Create, edit and delete a site.
import { SITE_TYPES, type SiteType } from "../../../src/enums";
import { api, ApiError, type Site } from "../api";
import { useAction, useApi } from "../query";
import { ConfirmDialog, type DeleteProps } from "../ui/dialog";
import { EditorDialog, optionsOf, optionsOfEnum, SelectField, TextField, useFormState } from "../ui/form";

/** What a change to a site makes stale: site lists and pages, and meters' site names. */
export const SITE_DATA = ["/api/sites", "/api/meters"];

const TYPE_OPTIONS = [{ value: "", label: "Not set" }, ...optionsOfEnum(SITE_TYPES)];

export function SiteFormDialog({
  site,
  onClose,
  onSaved,
}: {
  site?: Site;
  onClose: () => void;
  onSaved: (s: Site) => void;
}) {
  const companies = useApi("/api/companies");
  const regions = useApi("/api/regions");
  const { values, set, bind } = useFormState({
    name: site?.name ?? "",
    postcode: site?.postcode ?? "",
    address: site?.address ?? "",
    companyId: site ? String(site.companyId) : "",
    regionId: site?.regionId ? String(site.regionId) : "",
    siteType: (site?.siteType ?? "") as SiteType | "",
    floorAreaM2: site?.floorAreaM2 != null ? String(site.floorAreaM2) : "",
  });

  const companyList = companies.data?.data ?? [];
  // Until one is chosen, a new site goes to the default company (or the only one visible).
  const companyId =
    values.companyId || String(companyList.find((c) => c.isDefault)?.id ?? companyList[0]?.id ?? "");
  const regionList = (regions.data?.data ?? []).filter(
    (r) => !companyId || String(r.companyId) === companyId,
  );
  const area = values.floorAreaM2.trim() === "" ? null : Number(values.floorAreaM2);
  const areaError = area !== null && !(area > 0) ? "floor area must be a positive number" : undefined;

  const save = useAction(
    () => {
      if (!values.name.trim()) throw new ApiError(400, "client", "a site needs a name", "name");
      if (areaError) throw new ApiError(400, "client", areaError, "floorAreaM2");
      const body = {
        name: values.name.trim(),
        postcode: values.postcode.trim() || null,
        address: values.address.trim() || null,
        ...(companyId ? { companyId: Number(companyId) } : {}),
        regionId: values.regionId ? Number(values.regionId) : null,
        siteType: values.siteType || null,
        floorAreaM2: area,
      };
      return site
        ? api.patch("/api/sites/{id}", { params: { path: { id: site.id } }, body })
        : api.post("/api/sites", { body });
    },
    { invalidates: SITE_DATA, onDone: onSaved },
  );

  return (
    <EditorDialog noun="site" editing={site?.name} action={save} onClose={onClose}>
      <TextField label="Site name" maxLength={200} {...bind("name")} />
      <div class="form-row">
        <TextField label="Postcode" autoComplete="postal-code" {...bind("postcode")} />
        <SelectField label="Site type" options={TYPE_OPTIONS} {...bind("siteType")} />
      </div>
      <TextField label="Address" rows={2} {...bind("address")} />
      <div class="form-row">
        <SelectField
          label="Company"
          options={optionsOf(companyList)}
          {...bind("companyId")}
          value={companyId}
          onValue={(v) => {
            set("companyId", v);
            set("regionId", "");
          }}
        />
        <SelectField label="Region" options={optionsOf(regionList, "None")} {...bind("regionId")} />
      </div>
      <TextField label="Floor area (m²)" inputMode="decimal" error={areaError} {...bind("floorAreaM2")} />
    </EditorDialog>
  );
}

/** Delete a site after confirmation; the API refuses while it still has meters, and the dialog says why. */
export function DeleteSiteDialog({
  site,
  meterCount,
  onClose,
  onDeleted,
}: DeleteProps & { site: Site; meterCount: number }) {
  return (
    <ConfirmDialog
      title="Delete site?"
      message={
        <p>
          Delete <strong>{site.name}</strong>? This cannot be undone.
          {meterCount > 0 &&
            ` It still has ${meterCount} meter${meterCount === 1 ? "" : "s"}; delete or move them first.`}
        </p>
      }
      onCancel={onClose}
      onConfirm={() => api.del("/api/sites/{id}", { params: { path: { id: site.id } } })}
      invalidates={SITE_DATA}
      onDone={onDeleted}
    />
  );
}
