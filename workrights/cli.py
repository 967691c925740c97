"""The ``workrights`` command: ingest, search, ask.

Project errors become one line on stderr and exit code 1; ``--json`` gives the contract JSON on stdout.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TextIO

from workrights.errors import WorkrightsError
from workrights.settings import ANSWER_MODES, ROLES, Settings

__all__ = ["main", "build_parser"]


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _progress(done: int, total: int) -> None:
    print(f"\rembedding {done}/{total} chunks", end="" if done < total else "\n", file=sys.stderr, flush=True)


def _source_progress(source: str) -> Any:

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        end = "" if done < total and sys.stderr.isatty() else "\n"
        print(f"\r{source:<32} [{bar}] {done}/{total} chunks", end=end, file=sys.stderr, flush=True)

    return show


def _ingest(args: argparse.Namespace, settings: Settings, store: Any) -> Any:
    """The built-in summaries, plus the official sources from a mirror (--mirror) or the web (--live)."""
    from ingest.official import ingest_sources, mirror_root
    from ingest.pipeline import ingest_kb, merge_reports
    from ingest.registry import load_registry, select

    registry = load_registry(settings.kb_dir / "sources.toml")
    official_ids = {s.id for s in registry}
    wanted = args.source or []
    kb_ids = [i for i in wanted if i not in official_ids]
    reports = []
    if not wanted or kb_ids:
        reports.append(ingest_kb(store, settings.kb_dir, kb_ids or None, None if args.json else _progress))
    if args.mirror or args.live:
        chosen = [i for i in wanted if i in official_ids]
        sources = select(registry, chosen or None)
        if args.mirror and not chosen:
            # Sources no mirror has yet are fetched live; a whole-mirror run skips them rather than fail.
            skipped = [s.id for s in sources if s.live_only]
            sources = [s for s in sources if not s.live_only]
            if skipped:
                print(f"note: {len(skipped)} live-only sources skipped ({', '.join(skipped)}); fetch them with --live.", file=sys.stderr)
        progress = _source_progress if args.progress or (sys.stderr.isatty() and not args.json) else None
        if args.mirror:
            reports.append(ingest_sources(store, sources, mirror=mirror_root(args.mirror), progress=progress))
        else:
            reports.append(_live(settings, store, sources, progress))
    elif any(i in official_ids for i in wanted):
        raise WorkrightsError("Official sources are read from a mirror or the web: add --mirror DIR or --live.")
    return merge_reports(reports)


def _live(settings: Settings, store: Any, sources: Any, progress: Any) -> Any:
    import httpx

    from ingest.fetch import Fetcher
    from ingest.official import ingest_sources

    with httpx.Client(timeout=30.0, follow_redirects=True) as client:
        fetcher = Fetcher(client, settings.data_dir / "http-cache")
        return ingest_sources(store, sources, fetcher=fetcher, base_url=settings.sources_base_url, progress=progress)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from workrights.embeddings import make_embedder
    from workrights.store import open_store, writer_lock

    with writer_lock(settings):
        store = open_store(settings, make_embedder(settings), rebuild=args.rebuild)
        report = _ingest(args, settings, store)
    if args.prepare:
        from workrights.answer import prepare_caches

        prepare_caches(settings, store.embedder)
    if args.json:
        _print_json(report.to_dict())
    else:
        r = report
        print(
            f"{r.sources} sources, {r.documents} documents: {r.chunks_added} chunks added, {r.chunks_updated} updated, "
            f"{r.chunks_removed} removed, {r.chunks_unchanged} unchanged in {r.seconds:.1f}s ({store.count()} in the store)"
        )
        for err in r.errors:
            print(f"error: {err['source']}: {err['error']}", file=sys.stderr)
    return 1 if report.errors else 0


def _assistant(settings: Settings) -> Any:
    from workrights.answer import build_assistant

    assistant = build_assistant(settings)
    if assistant.retriever.store.count() == 0:
        raise WorkrightsError("The knowledge base is not indexed yet; run `workrights ingest` first.")
    return assistant


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from workrights.answer import validate_state

    assistant = _assistant(settings)
    hits = assistant.retriever.search(args.query, state=validate_state(args.state), k=args.k)
    if args.json:
        _print_json([h.to_dict() for h in hits])
        return 0
    for i, hit in enumerate(hits, 1):
        c = hit.chunk
        print(f"{i}. {c.cite}  [{c.jurisdiction}, {c.doc_type}]  score {hit.score:.4f}\n   {c.heading_path}\n   {c.url}")
    if not hits:
        print("No matches.")
    return 0


class _Draft:
    """The model's words as they stream; on a terminal they are erased when the checked answer is printed."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.text = ""

    def __call__(self, token: str) -> None:
        self.text += token
        self.out.write(token)
        self.out.flush()

    def clear(self) -> None:
        if not self.text:
            return
        if not self.out.isatty():
            self.out.write("\n")
            return
        width = max(20, shutil.get_terminal_size().columns)
        rows = sum(max(1, -(-len(line) // width)) for line in self.text.split("\n"))
        self.out.write("\r" + (f"\x1b[{rows - 1}A" if rows > 1 else "") + "\x1b[J")
        self.out.flush()


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.mode:
        settings = replace(settings, answer_mode=args.mode)
    assistant = _assistant(settings)
    stream = args.stream if args.stream is not None else (sys.stdout.isatty() and not args.json)
    # The draft goes to the terminal; in a pipe it goes to stderr so stdout carries only the checked answer.
    draft = _Draft(sys.stdout if sys.stdout.isatty() else sys.stderr) if stream and assistant.chat else None
    answer = assistant.ask(args.question, state=args.state, role=args.role, on_token=draft)
    if draft is not None:
        draft.clear()
    if args.json:
        _print_json({**answer.to_dict(), **answer.details()} if args.details else answer.to_dict())
        return 0
    print(answer.answer)
    if answer.citations:
        print("\nSources (law as of " + answer.as_of + "):")
        for c in answer.citations:
            print(f"  [{c.n}] {c.cite}: {c.title}\n      {c.url}")
    if answer.llm and answer.llm.get("used"):
        print(f"\nWritten by {answer.llm['model']} from the sources above (prompt {answer.llm['prompt_version']}).")
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from evals.runner import SETS, render_markdown, run_eval, write_report

    sets = tuple(args.set) if args.set else SETS
    unknown = [s for s in sets if s not in SETS]
    if unknown:
        raise WorkrightsError(f"Unknown evaluation set {unknown[0]!r}; use one of: {', '.join(SETS)}.")
    assistant = _assistant(replace(settings, answer_mode=args.mode))
    assistant.warm()
    report = run_eval(assistant, sets)
    regressions = write_report(report, Path(args.output))
    print(json.dumps(report, indent=2) if args.json else render_markdown(report, regressions))
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    if args.scale:
        return _bench_scale(args, settings)
    if args.app:
        return _bench_app(args, settings)
    from evals.bench import render_markdown, run_bench

    if args.mirror:
        from evals.bench import mirror_ingest

        result = mirror_ingest(settings, Path(args.mirror))
        out = Path(args.output).with_name(f"bench_mirror_{result['embedding_model']}.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        _print_json(result)
        return 0
    out = Path(args.output)
    return _report(_with_filed(run_bench(settings, rounds=args.rounds), out), out, render_markdown, args.json)


_FILED = ("app", "scale")  # the longer runs (--app, --scale), kept in bench.json beside the core figures


def _file_under(bench_json: Any, key: str, result: dict[str, Any]) -> dict[str, Any]:
    """Keep bench.json the one file with every figure: a --app or --scale run is filed there under ``key``."""
    data = json.loads(bench_json.read_text(encoding="utf-8")) if bench_json.exists() else {}
    data[key] = result
    bench_json.parent.mkdir(parents=True, exist_ok=True)
    bench_json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return result


def _with_filed(result: dict[str, Any], bench_json: Any) -> dict[str, Any]:
    """The core figures, with the app and scale figures an earlier --app / --scale run filed in ``bench_json``."""
    if bench_json.exists():
        earlier = json.loads(bench_json.read_text(encoding="utf-8"))
        result.update({k: earlier[k] for k in _FILED if k in earlier})
    return result


def _report(result: dict[str, Any], out: Any, render: Any, as_json: bool) -> int:
    """Write a benchmark's JSON to ``out`` and print it, as JSON or as its Markdown table."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if as_json:
        _print_json(result)
    else:
        print(render(result))
        print(f"\nwritten to {out}")
    return 0


def _bench_app(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from evals.app_bench import render_markdown, run_app_bench

    if args.mirror:
        raise WorkrightsError("--app and --mirror measure different things; run them one at a time.")
    result = _file_under(Path(args.output), "app", run_app_bench(settings))
    return _report(result, Path(args.output).with_name("bench_app.json"), render_markdown, args.json)


def _bench_scale(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from evals.scale import render_markdown, run_scale

    if args.mirror or args.app:
        raise WorkrightsError("--scale measures something else than --app and --mirror; run them one at a time.")
    result = run_scale(settings, rounds=args.rounds)
    _file_under(Path(args.output), "scale", result)
    return _report(result, Path(args.output).with_name("bench_scale.json"), render_markdown, args.json)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workrights",
        description="Employment-law answers for US workers, cited to the law. Information, not legal advice.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="build or update the index", description="Build or update the index: the "
                       "built-in summaries in kb/, plus the official sources of kb/sources.toml read from a mirror "
                       "(--mirror) or fetched from the official sites (--live).\n\n"
                       "example: workrights ingest --mirror ../shared/corpus --json",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--source", action="append", metavar="ID", help="only this source id (repeatable)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--mirror", metavar="DIR", help="read the official sources from a folder laid out like ../shared/corpus")
    where.add_argument("--live", action="store_true", help="fetch the official sources from the web (polite, cached)")
    p.add_argument("--rebuild", action="store_true", help="drop the index and build it again")
    p.add_argument("--progress", action="store_true", help="show progress per source even when stderr is not a terminal")
    p.add_argument("--prepare", action="store_true", help="also embed the triage exemplars, so the app starts fast (make run does)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="search the knowledge base", description="Search the knowledge base.\n\n"
                       "example: workrights search '29 USC 2612' --k 3", formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("query")
    p.add_argument("--state", metavar="XX", help="two-letter state code (default: federal law only)")
    p.add_argument("--k", type=int, default=10, help="number of hits (default 10)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="ask a question", description="Ask a question and get a cited answer.\n\n"
                       "example: workrights ask 'How many weeks of FMLA leave can I take?'",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("question")
    p.add_argument("--state", metavar="XX", help="two-letter state code (default: federal law only)")
    p.add_argument("--role", choices=ROLES, default="employee")
    p.add_argument("--mode", choices=ANSWER_MODES, help="auto (LLM when configured), extractive or llm "
                   "(default: WORKRIGHTS_ANSWER_MODE or auto)")
    p.add_argument("--stream", action=argparse.BooleanOptionalAction, default=None,
                   help="show the LLM's words as they arrive (default: on a terminal)")
    p.add_argument("--json", action="store_true", help="print the answer as the contract JSON")
    p.add_argument("--details", action="store_true", help="with --json, add notices and the LLM record "
                   "(model, prompt version, token usage, latency, sentences removed)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="run the evaluation sets", description="Run the evaluation sets through ask() "
                       "and search() and write evals/reports/latest.json and .md.\n\n"
                       "example: workrights eval --set escalation --set pii", formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--set", action="append", metavar="NAME", help="retrieval, baseline, answers, idk, grounding, escalation, evasion, pii, injection, over_refusal")
    p.add_argument("--mode", choices=["extractive", "llm"], default="extractive",
                   help="answer mode; llm needs OPENAI_API_KEY or OPENAI_BASE_URL (default extractive)")
    p.add_argument("--output", default="evals/reports", help="report folder")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("bench", help="measure index build and query latency", description="Measure index build "
                       "speed, warm search/ask latency and peak memory on the built-in KB (in a temporary store).\n\n"
                       "example: workrights bench --json", formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=2, help="passes over the evaluation questions (default 2)")
    p.add_argument("--mirror", metavar="DIR", help="instead: ingest every official source of this mirror, cold then "
                   "unchanged, in a temporary store (prints JSON)")
    p.add_argument("--app", action="store_true", help="instead: start the web app and time, in Chromium, its cold "
                   "start and warm extractive answers (writes bench_app.json beside --output)")
    p.add_argument("--scale", action="store_true", help="instead: grow a temporary store with synthetic chunks to 10k and "
                   "100k and time warm search and extractive ask at each size (writes bench_scale.json beside --output)")
    p.add_argument("--output", default="evals/reports/bench.json", help="where to write the JSON result")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "k", 1) is not None and getattr(args, "k", 1) < 1:
        print("error: --k must be at least 1.", file=sys.stderr)
        return 1
    try:
        return int(args.func(args, Settings.from_env()))
    except WorkrightsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; run the command again to finish (completed work is kept).", file=sys.stderr)
        return 1
