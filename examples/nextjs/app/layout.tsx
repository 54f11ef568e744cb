import type { ReactNode } from 'react'
import { PatchProvider } from 'patchdb/react'
import { getDb } from '../lib/db'
import './styles.css'

// The document changes at run time: render on each request, never at build time.
export const dynamic = 'force-dynamic'

/**
 * A Server Component: it reads the durable store and hands its dump to <PatchProvider>, a
 * client component, which creates the browser's store from it. When a Server Action
 * revalidates this layout, the provider receives a newer dump and applies it.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const db = await getDb()
  return (
    <html lang="en">
      <body>
        <PatchProvider dump={db.dump()}>{children}</PatchProvider>
      </body>
    </html>
  )
}
