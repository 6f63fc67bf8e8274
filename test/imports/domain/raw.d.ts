// Vite's `?raw` imports: fixture files as strings.
declare module "*?raw" {
  const text: string;
  export default text;
}
