// A range is parsed in pieces cut at line ends; each piece must know the file line it starts on.
import { describe, expect, it } from "vitest";
import { linePieces } from "../../src/imports/pipeline";

describe("linePieces", () => {
  it("cuts at the first line end at or past each size mark and counts the lines before and in each piece", () => {
    const text = "a,1\nbb,2\nccc,3\nd,4\n";
    expect([...linePieces(text, 5)]).toEqual([
      { text: "a,1\nbb,2\n", lineOffset: 0, lines: 2 },
      { text: "ccc,3\n", lineOffset: 2, lines: 1 },
      { text: "d,4\n", lineOffset: 3, lines: 1 },
    ]);
  });

  it("keeps CRLF whole and a last line without a line end", () => {
    expect([...linePieces("x\r\ny\r\nz", 2)]).toEqual([
      { text: "x\r\n", lineOffset: 0, lines: 1 },
      { text: "y\r\n", lineOffset: 1, lines: 1 },
      { text: "z", lineOffset: 2, lines: 0 },
    ]);
  });

  it("gives blank lines their own line numbers and a small text in one piece", () => {
    expect([...linePieces("a\n\n\nb\nc\n", 3)]).toEqual([
      { text: "a\n\n\n", lineOffset: 0, lines: 3 },
      { text: "b\nc\n", lineOffset: 3, lines: 2 },
    ]);
    expect([...linePieces("a\nb\n", 100)]).toEqual([{ text: "a\nb\n", lineOffset: 0, lines: 2 }]);
    expect([...linePieces("", 100)]).toEqual([]);
  });
});
