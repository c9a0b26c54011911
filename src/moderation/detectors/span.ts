/** [start, end) in the text a detector ran on. */
export interface Span {
  start: number;
  end: number;
}
