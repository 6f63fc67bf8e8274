// A piece of a readings file as rows of fields, for the import's hot path. papaparse was the largest single
// cost in a CPU profile of the wide import (1.5 s of 14 s); supplier files' data lines are numbers, dates and
// MPANs and almost never quote. So a piece with no quote character and plain line ends is split with
// String.split, which is exactly what papaparse does with such text (test/imports/domain/rows.test.ts checks
// it against papaparse on generated files); anything else (quotes, lone or mixed carriage returns) still
// goes through papaparse.
import Papa from "papaparse";

export function csvRows(text: string, delimiter: string): string[][] {
  if (text === "" || text.includes('"')) return papa(text, delimiter);
  let lines: string[];
  if (!text.includes("\r")) lines = text.split("\n");
  else {
    lines = text.split("\r\n");
    // papaparse splits on \r\n only when every line ends so; a stray \r or \n is its call to make.
    if (lines.some((l) => l.includes("\r") || l.includes("\n"))) return papa(text, delimiter);
  }
  const rows = new Array<string[]>(lines.length);
  for (let i = 0; i < lines.length; i++) rows[i] = lines[i].split(delimiter);
  return rows;
}

const papa = (text: string, delimiter: string) =>
  Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false }).data;
