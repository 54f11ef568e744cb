'use client'
// The hooks typed by the document. Made in a client module: on the server, patchdb/react's
// exports are client references, which a Server Component can render but not call.
import { createPatchHooks } from 'patchdb/react'
import type { AppState } from './state'

export const { usePatch, usePatchSelector, useRevision, useStore } = createPatchHooks<AppState>()
