// Compile Python sources to bytecode with the site's own Pyodide, the CPython (3.14, WebAssembly) that will
// import them in the browser: the .pyc format is tied to that exact interpreter, which the build machine's
// CPython is not. Called by sciatica_edu/lite/bytecode.py (precompile); Node >= 18, offline, reads and writes
// WORK only.
//
//   node lite/pycompile.mjs PYODIDE_DIR WORK
//
// PYODIDE_DIR holds the npm package's core (pyodide.mjs, pyodide.asm.*, python_stdlib.zip, pyodide-lock.json).
// WORK/load.json names the lock file, the folder of the wheels and the packages to load first; WORK is then
// mounted at /pyc-build inside Pyodide and its compile.py (written by bytecode.py) does the rest, in two phases.
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
const script = readFileSync(path.join(work, "compile.py"), "utf8");

// Two interpreters: the first, with the wheels loaded, runs the workload and compiles the modules that ship
// without their source, leaving out the column positions tracebacks use only to underline source lines they
// cannot show then (-X no_debug_ranges: about a fifth less bytecode); the second compiles the modules that keep
// their source (the kit's), positions included.
for (const [phase, args, packages] of [["bare", ["-X", "no_debug_ranges"], load.packages], ["ranges", [], []]]) {
  const pyodide = await loadPyodide({
    indexURL: path.resolve(pyodideDir) + path.sep,
    lockFileURL: path.resolve(load.lockFile),
    packageBaseUrl: path.resolve(load.packageBaseUrl) + path.sep,
    args,
  });
  await pyodide.loadPackage(packages, { messageCallback: () => {}, errorCallback: (m) => console.error(m) });
  pyodide.FS.mkdirTree("/pyc-build");
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.resolve(work) }, "/pyc-build");
  pyodide.globals.set("PHASE", phase);
  await pyodide.runPythonAsync(script);
}
