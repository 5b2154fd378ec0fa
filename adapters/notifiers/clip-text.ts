/** Text cut to at most `max` characters, an ellipsis marking the cut (receivers refuse longer). */
export function clipText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
