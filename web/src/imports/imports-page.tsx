// Imports (admin): upload a readings file with its options, watch the upload, then follow the job;
// below, every job with a status filter and search.
import { PageHeader } from "../ui/feedback";
import { ImportHelp } from "./help";
import { JobList } from "./job-list";
import { UploadForm } from "./upload-form";

export function ImportsPage() {
  return (
    <>
      <PageHeader
        title="Imports"
        subtitle="Upload half-hourly, daily or register readings from supplier and portal CSV files."
      />
      <div class="imports-grid">
        <UploadForm />
        <ImportHelp />
      </div>
      <JobList />
    </>
  );
}
