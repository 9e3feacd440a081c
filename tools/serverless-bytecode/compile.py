"""Compiles Python sources to bytecode for the plugin in index.js.

    python compile.py <runtime version, e.g. 3.13> <checked-hash|unchecked-hash> <folder>...

Bytecode is only valid for the interpreter version that wrote it, so this
refuses to run on another version than the Lambda runtime's.
"""

import compileall
import py_compile
import sys


def main(runtime: str, mode: str, folders: list[str]) -> int:
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if running != runtime:
        print(f"serverless-bytecode: the runtime is Python {runtime}, this interpreter is {running}", file=sys.stderr)
        return 2
    invalidation = py_compile.PycInvalidationMode[mode.upper().replace("-", "_")]
    compiled = [compileall.compile_dir(folder, quiet=1, force=True, invalidation_mode=invalidation, workers=0) for folder in folders]
    return 0 if all(compiled) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
