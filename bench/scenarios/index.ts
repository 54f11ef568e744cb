import type { Scenario } from '../types'
import { fanout } from './fanout'
import { setDiff } from './set-diff'
import { singleOp } from './single-op'
import { transaction } from './transaction'
import { bundle } from './bundle'
import { react } from './react'
import { durable } from './durable'
import { watchersOnePointer } from './watchers-one-pointer'
import { setSharedRows } from './set-shared-rows'
import { devtoolsRecording } from './devtools-recording'
import { devtoolsPanel } from './devtools-panel'
import { devtoolsExtension } from './devtools-extension'
import { sync } from './sync'

/** Every scenario, in the order of the issue. */
export const scenarios: Scenario[] = [fanout, singleOp, transaction, setDiff, react, durable, bundle, watchersOnePointer, setSharedRows, devtoolsRecording, devtoolsPanel, devtoolsExtension, sync]
