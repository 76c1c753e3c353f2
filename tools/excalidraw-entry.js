// Bundled by tools/need.sh (esbuild) into .venv/node/excalidraw.js: Excalidraw's own loading and export code,
// as a plain script for a browser page, so the tests can load blueprint's Excalidraw export with it.
import { exportToSvg, loadFromBlob, restore, restoreElements, serializeAsJSON } from "@excalidraw/excalidraw";

window.ExcalidrawLib = { exportToSvg, loadFromBlob, restore, restoreElements, serializeAsJSON };
