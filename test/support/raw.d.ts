// Vite's `?raw` imports (the import tests read their fixture exports this way).
declare module '*?raw' {
  const text: string
  export default text
}
