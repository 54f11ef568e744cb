/**
 * Makes `instanceof` recognise `cls`'s errors made by another copy of patchdb in this process.
 * Bundlers can load a package twice (Next.js bundles a server entry once per route group);
 * each copy has its own classes, so a plain `instanceof` across copies is false. Every
 * copy marks its prototype with the same registered symbol, `patchdb.error.<name>`, and
 * tests for that mark. Subclasses inherit the mark, so `e instanceof Base` still holds for
 * a subclass made by another copy; a subclass that is not branded itself falls back to the
 * ordinary prototype check (the static method is inherited: `this` tells them apart).
 */
export function brandError(cls: abstract new (...args: never[]) => Error, name: string): void {
  const mark = Symbol.for(`patchdb.error.${name}`)
  Object.defineProperty(cls.prototype, mark, { value: true })
  Object.defineProperty(cls, Symbol.hasInstance, {
    value(this: abstract new (...args: never[]) => unknown, value: unknown): boolean {
      if (this !== cls) return Function.prototype[Symbol.hasInstance].call(this, value)
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[mark] === true
    },
  })
}
