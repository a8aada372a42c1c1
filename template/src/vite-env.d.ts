/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The app's display name, set by Hangar when it builds the app. */
  readonly VITE_HANGAR_APP_NAME?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
