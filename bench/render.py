"""Measure rendering speed: docgen's compiled renderer against plain docxtpl.

Prints the median milliseconds per letter and letters per second on one core, for
docgen and for ``DocxTemplate(path).render()`` + ``save()`` on the same template and
data, in the same run. Then the command end to end: ``docgen render`` of ``--files``
data files (200 by default) in a fresh process, start-up, reading, validation, writing
and the sync that makes the drafts durable included, per letter, against plain
docxtpl's parse, render and save (the target is at least 6 times faster).

    python bench/render.py [--sample samples/pause_confirmation.yaml] [--runs 300]
                           [--files 200]
"""

from __future__ import annotations

import argparse
import io
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _median_ms(action, runs: int, clock=time.perf_counter) -> float:
    times = []
    for _ in range(runs):
        start = clock()
        action()
        times.append(clock() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, default=ROOT / "samples/pause_confirmation.yaml")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args()

    from docxtpl import DocxTemplate

    from docgen.data import load_document
    from docgen.render import context_for, render
    from docgen.render.environment import environment
    from docgen.templates import Catalogue

    loaded = load_document(args.sample, Catalogue())
    template, document = loaded.template, loaded.document
    context = context_for(document)
    render(template, document)  # compile once, as a long-running process would

    def plain_docxtpl() -> None:
        tpl = DocxTemplate(str(template.docx_path))
        tpl.render(context, jinja_env=environment())
        tpl.save(io.BytesIO())

    ours = _median_ms(lambda: render(template, document), args.runs)
    theirs = _median_ms(plain_docxtpl, max(args.runs // 5, 20))
    print(f"template: {template.id} ({template.docx_path.name}, "
          f"{template.docx_path.stat().st_size // 1024} KB)")
    for label, ms in (("docgen render:       ", ours), ("plain docxtpl render:", theirs)):
        print(f"{label} {ms:7.2f} ms/letter  {1000 / ms:8.1f} letters/s (one core)")
    print(f"speed-up: {theirs / ours:.1f}x")
    # End to end, in wall time and in CPU time (the CPU figures hold on a busy machine).
    theirs_cpu = _median_ms(plain_docxtpl, max(args.runs // 5, 20), clock=time.process_time)
    wall, cpu = _command_ms_per_letter(args.sample, args.files)
    print(f"docgen render of {args.files} files (command, end to end): {wall:7.2f} ms/letter "
          f"wall, {cpu:.2f} ms/letter CPU")
    print(f"plain docxtpl parse + render + save: {theirs:7.2f} ms/letter wall, "
          f"{theirs_cpu:.2f} ms/letter CPU")
    print(f"command speed-up over plain docxtpl: {theirs / wall:.1f}x wall, "
          f"{theirs_cpu / cpu:.1f}x CPU (target: 6x)")


def _command_ms_per_letter(sample: Path, count: int) -> tuple[float, float]:
    """Wall and CPU time of one 'docgen render' of ``count`` copies of ``sample`` in a
    fresh process (its start-up included), per letter."""
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as work:
        data = Path(work) / "data"
        data.mkdir()
        for number in range(count):
            shutil.copyfile(sample, data / f"letter-{number:04d}{sample.suffix}")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "docgen", "render", str(data), "--out",
                        str(Path(work) / "out")], check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall * 1000 / count, cpu * 1000 / count


if __name__ == "__main__":
    main()
