// The page imports the API's types (AppType), which brings src/ into this DOM-typed program, where
// the Workers runtime's types would clash with the DOM's. The two Workers-only globals src/ names
// are declared here instead; nothing in web/ uses them.
interface CacheStorage {
  readonly default: Cache
}
interface CloudflareBindings {
  // biome-ignore lint/suspicious/noExplicitAny: the bindings' types do not matter to the page
  [binding: string]: any
}
