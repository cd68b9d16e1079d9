/** A message that starts with a label ("listener web (HTTPS, port 443)") starts a sentence. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
