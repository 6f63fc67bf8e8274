// What files the importer accepts, shown beside the upload form.
export function ImportHelp() {
  return (
    <details class="help card" data-testid="import-help" open>
      <summary>Accepted layouts and column names</summary>
      <div class="help-body">
        <h3>Layouts</h3>
        <ul>
          <li>
            <strong>Narrow</strong>: one reading per row. A meter column, then either one timestamp column,
            separate date and time columns, or Start and End columns, and a value column (kWh).
          </li>
          <li>
            <strong>Wide</strong>: one day per row. Meter, date, then one column per half-hour, labelled by
            start (<code>00:00</code>…<code>23:30</code>), by end (<code>00:30</code>…<code>24:00</code>) or
            numbered (<code>1</code>…<code>50</code>, <code>HH01</code>, <code>P1</code>, <code>kWh_1</code>).
            A trailing <code>Total</code> column is checked, not imported; status columns (A/E,
            Actual/Estimated) set the estimated flags.
          </li>
          <li>
            <strong>Daily</strong>: meter, date and the day's total.
          </li>
          <li>
            <strong>Register</strong>: cumulative meter reads; consumption is the difference between reads
            (the first read is the baseline, roll-over is handled).
          </li>
          <li>
            <strong>No meter column</strong>: enter its MPAN or MPRN in the “Meter” field.
          </li>
        </ul>
        <h3>Values, dates and times</h3>
        <p>
          Dates as ISO (<code>2026-01-05</code>), <code>DD/MM/YYYY</code>, <code>DD/MM/YY</code>,{" "}
          <code>YYYY/MM/DD</code>, <code>DD-MM-YYYY</code>, <code>26 Aug 2019 00:30:00</code> or{" "}
          <code>Nov 13 2019 12:00AM</code>. Times with an offset or <code>Z</code> are absolute; others are UK
          local time. Comma, semicolon (with decimal commas) and tab separators, a <code>sep=</code> line,
          preamble lines and a byte-order mark are all fine. Units Wh, kWh and MWh are recognised from a unit
          column or the header.
        </p>
        <h3>Check before importing</h3>
        <p>
          After you drop a file, the importer reads its first 64 KB and shows what it found: the layout,
          whether dates are day- or month-first, whether timestamps mark the start or end of each reading, the
          unit (kWh, Wh, MWh, or gas in m³, ft³ or hcf, converted with the meter&apos;s calorific value, 39.5
          MJ/m³ if none), which column is the meter, date and value, and the first readings as they will be
          stored. Change any dropdown and the preview follows. Files without a header row, UTF-16 and
          Windows-1252 files, Stark DF2 files, 1- to 15-minute data (summed into half-hours) and hourly data
          (split in two, estimated) are read too.
        </p>
        <h3>Rejected rows</h3>
        <p>
          Negative or non-numeric values, impossible dates, MPANs with a wrong check digit, unknown meters and
          half-hours over 100,000 kWh are reported by line while every valid row imports. Use a dry run to
          check a file without writing anything.
        </p>
      </div>
    </details>
  );
}
