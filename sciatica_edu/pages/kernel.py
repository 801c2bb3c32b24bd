"""The export's kernel for runners that cannot add a hidden first cell: ipykernel with the prelude installed at start.

``export.write_kernel_spec`` writes a Jupyter kernel spec that starts ``python -m sciatica_edu.pages.kernel -f
{connection_file}``. ``make test`` gives it to nbval (``tests/nbval_export.py``), so nbval checks every notebook in
the mode the course export renders, and the export reuses those runs instead of running every notebook again.
If the hook cannot be installed the kernel exits before it answers: the notebooks must never run plain unnoticed.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    from ipykernel.kernelapp import IPKernelApp

    from sciatica_edu.pages import prelude

    app = IPKernelApp.instance()
    app.initialize(sys.argv[1:] if argv is None else argv)
    prelude.install_from_env()  # raises (and the kernel dies) if the runner gave no notes
    app.start()


if __name__ == "__main__":
    main()
