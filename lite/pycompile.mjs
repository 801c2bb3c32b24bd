// Compile Python sources to bytecode with the site's own Pyodide, the CPython (3.14, WebAssembly) that will
// import them in the browser: the .pyc format is tied to that exact interpreter, which the build machine's
// CPython is not. Called by sciatica_edu/lite.py (precompile); Node >= 18, offline, reads and writes WORK only.
//
//   node lite/pycompile.mjs PYODIDE_DIR WORK
//
// PYODIDE_DIR holds the npm package's core (pyodide.mjs, pyodide.asm.*, python_stdlib.zip, pyodide-lock.json).
// WORK/load.json names the lock file, the folder of the wheels and the packages to load first; WORK is then
// mounted at /work inside Pyodide and its compile.py (written by lite.py) does the rest.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";

const [pyodideDir, work] = process.argv.slice(2);
if (!pyodideDir || !work) {
  console.error("usage: node lite/pycompile.mjs PYODIDE_DIR WORK");
  process.exit(2);
}
const load = JSON.parse(readFileSync(path.join(work, "load.json"), "utf8"));
const { loadPyodide } = await import(pathToFileURL(path.resolve(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: path.resolve(pyodideDir) + path.sep,
  lockFileURL: path.resolve(load.lockFile),
  packageBaseUrl: path.resolve(load.packageBaseUrl) + path.sep,
});
await pyodide.loadPackage(load.packages, { messageCallback: () => {}, errorCallback: (m) => console.error(m) });
pyodide.FS.mkdirTree("/work");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.resolve(work) }, "/work");
await pyodide.runPythonAsync(readFileSync(path.join(work, "compile.py"), "utf8"));
