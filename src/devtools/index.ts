export { connectDirect } from './connect-direct'
export { PatchDevtools } from './panel/PatchDevtools'
export type { PatchDevtoolsProps } from './panel/PatchDevtools'
export { PROTOCOL_VERSION, MESSAGE_SOURCE, ProtocolError, validateMessage, validatePanelMessage, validateInspectorMessage, readExportedLog } from './protocol'
export type {
  Connection,
  EntryError,
  EntryMessage,
  EntryOrigin,
  ExportedLog,
  ExportedRevision,
  InspectorConnection,
  InspectorMessage,
  InspectorPort,
  Message,
  PanelConnection,
  PanelMessage,
  LabelCalls,
  PointerCalls,
  RenderCalls,
  StatusFields,
} from './protocol'
export { createInspector } from './inspector'
export type { Inspector, InspectorOptions } from './inspector'
export { connectDevtools, DEVTOOLS_HOOK } from './connect-devtools'
export type { ConnectDevtoolsOptions, DevtoolsHook, Envelope } from './connect-devtools'
export { connectReduxDevtools, REDUX_DEVTOOLS_FEATURES } from './connect-redux-devtools'
export type { ConnectReduxDevtoolsOptions, ReduxDevtoolsConnect, ReduxDevtoolsConnectOptions, ReduxDevtoolsConnection, ReduxDevtoolsFeatures } from './connect-redux-devtools'
