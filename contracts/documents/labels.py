"""The fixed wording of generated documents, in the reader's language.

One template per kind, not one per language: a template holds only layout and
``{{ labels.* }}`` placeholders, and the words come from here through Django's
gettext under ``translation.override(language)``. So a layout change is made once,
a third language needs only a catalogue, and translators work in the same
``locale/`` catalogue as for the web pages and e-mails. The contract's own text
(titles, clause texts, minutes) is never translated: it is printed as written.

The msgids are marked with ``gettext_noop`` so ``makemessages`` extracts them.
Until the project catalogue carries them, ``ZH_HANS`` supplies the Simplified
Chinese wording; a catalogue entry always wins over it (``python -m
contracts.documents.labels`` prints these entries as a .po fragment to merge).
"""

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

LABELS: dict[str, str] = {
    # Contract
    "kind_general": gettext_noop("Collective contract"),
    "kind_wages": gettext_noop("Special collective contract on wages"),
    "kind_women": gettext_noop("Special collective contract on the protection of women workers"),
    "kind_safety": gettext_noop("Special collective contract on occupational safety and health"),
    "party_union": gettext_noop("Party A (trade union)"),
    "party_employer": gettext_noop("Party B (employer)"),
    "term": gettext_noop("Term"),
    "term_span": gettext_noop("from %(start)s to %(end)s"),
    "version": gettext_noop("Version"),
    "parties": gettext_noop("The parties"),
    "chief_representative": gettext_noop("Chief representative"),
    "preamble": gettext_noop(
        "In accordance with the Labour Law, the Labour Contract Law, the Trade Union Law and the "
        "Provisions on Collective Contracts, the parties have concluded this contract through "
        "equal consultation."
    ),
    "chapter": gettext_noop("Chapter %(n)s"),
    "signatures": gettext_noop("Signatures"),
    "signed_on": gettext_noop("Date"),
    "seal": gettext_noop("(seal)"),
    "blank_date": gettext_noop("____ (day) ____ (month) ______ (year)"),
    "approval": gettext_noop("Approval by the workers' congress"),
    "approval_line": gettext_noop(
        "On %(date)s the workers' congress voted on this contract: %(total)s delegates in all, "
        "%(present)s present; %(yes)s for, %(no)s against, %(abstain)s abstaining. Result: %(result)s."
    ),
    "filing_review": gettext_noop("Filing and review"),
    "filed_on": gettext_noop("Filed with the labour administration on"),
    "receipt_on": gettext_noop("Received by the labour administration on"),
    "not_yet": gettext_noop("not yet received"),
    "review_deadline": gettext_noop("Review period ends"),
    "effective_on": gettext_noop("Takes effect on"),
    "effective_confirmed": gettext_noop("%(date)s (confirmed by the labour administration)"),
    "effective_unless_objection": gettext_noop(
        "%(date)s, unless the labour administration objects within the review period"
    ),
    "objection": gettext_noop("Objection of the labour administration"),
    "objection_on": gettext_noop("Received on %(date)s"),
    "no_objection": gettext_noop("None received"),
    # Minutes
    "minutes_title": gettext_noop("Minutes of a collective consultation"),
    "contract": gettext_noop("Collective contract"),
    "negotiation": gettext_noop("Negotiation"),
    "round": gettext_noop("Round"),
    "round_n": gettext_noop("Round %(n)s"),
    "held_at": gettext_noop("Time"),
    "place": gettext_noop("Place"),
    "chaired_by": gettext_noop("Chaired by"),
    "present": gettext_noop("Present"),
    "union_side": gettext_noop("Union side"),
    "employer_side": gettext_noop("Employer side"),
    "chief_suffix": gettext_noop("chief representative"),
    "expert_suffix": gettext_noop("outside expert"),
    "agenda": gettext_noop("Agenda"),
    "record": gettext_noop("Record of the meeting"),
    "union_chief": gettext_noop("Chief representative of the union"),
    "employer_chief": gettext_noop("Chief representative of the employer"),
    "nobody": gettext_noop("none"),
    # Resolution
    "resolution_title": gettext_noop("Resolution of the workers' congress"),
    "resolution_intro": gettext_noop(
        "On %(date)s the workers' congress of %(enterprise)s voted on the draft collective contract "
        "“%(title)s” (version %(version)s)."
    ),
    "vote": gettext_noop("The vote"),
    "delegates_total": gettext_noop("Delegates in all"),
    "delegates_present": gettext_noop("Delegates present"),
    "yes": gettext_noop("Votes for"),
    "no": gettext_noop("Votes against"),
    "abstain": gettext_noop("Abstentions"),
    "voting": gettext_noop("Voting"),
    "mode_ballot": gettext_noop("Secret electronic ballot"),
    "mode_tally": gettext_noop("Paper ballot, counted by hand"),
    "result": gettext_noop("Result"),
    "passed": gettext_noop("Passed"),
    "not_passed": gettext_noop("Not passed"),
    "resolution_passed": gettext_noop("The workers' congress approves the draft collective contract “%(title)s”."),
    "resolution_not_passed": gettext_noop(
        "The workers' congress does not approve the draft collective contract “%(title)s”."
    ),
    "quorum_met": gettext_noop("At least two thirds of all delegates attended."),
    "quorum_missed": gettext_noop("Fewer than two thirds of all delegates attended."),
    "majority_more_than_half": gettext_noop("Approval needs the yes votes of more than half of all delegates."),
    "majority_half_or_more": gettext_noop("Approval needs the yes votes of half or more of all delegates."),
    "rule_applied": gettext_noop("Rule applied"),
    # Rectification notice
    "notice_title": gettext_noop("Rectification notice"),
    "to": gettext_noop("To"),
    "notice_intro": gettext_noop(
        "The union has found that the following obligation under the collective contract “%(title)s” was not met:"
    ),
    "obligation": gettext_noop("Obligation"),
    "period": gettext_noop("Period"),
    "affected": gettext_noop("Workers affected"),
    "shortfall": gettext_noop("Shortfall"),
    "shortfall_late": gettext_noop("Wages paid late"),
    "notice_request": gettext_noop("We ask you to rectify this promptly and to answer the union in writing."),
    "issued_on": gettext_noop("Date"),
}

ZH_HANS: dict[str, str] = {
    "Collective contract": "集体合同",
    "Special collective contract on wages": "工资专项集体合同",
    "Special collective contract on the protection of women workers": "女职工权益保护专项集体合同",
    "Special collective contract on occupational safety and health": "劳动安全卫生专项集体合同",
    "Party A (trade union)": "甲方（工会）",
    "Party B (employer)": "乙方（企业）",
    "Term": "合同期限",
    "from %(start)s to %(end)s": "自%(start)s起至%(end)s止",
    "Version": "版本",
    "The parties": "合同双方",
    "Chief representative": "首席代表",
    LABELS["preamble"]: "根据《中华人民共和国劳动法》《中华人民共和国劳动合同法》《中华人民共和国工会法》"
    "和《集体合同规定》，双方经平等协商，订立本合同。",
    "Chapter %(n)s": "第%(n)s章",
    "Signatures": "签字",
    "Date": "日期",
    "(seal)": "（盖章）",
    "____ (day) ____ (month) ______ (year)": "______年____月____日",
    "Approval by the workers' congress": "职工代表大会审议",
    LABELS["approval_line"]: "本合同经%(date)s职工代表大会审议表决：应到代表%(total)s人，实到代表%(present)s人；"
    "赞成%(yes)s票，反对%(no)s票，弃权%(abstain)s票。表决结果：%(result)s。",
    "Filing and review": "备案与审查",
    "Filed with the labour administration on": "报送备案日期",
    "Received by the labour administration on": "劳动保障行政部门收到日期",
    "not yet received": "尚未收到",
    "Review period ends": "审查期限届满日",
    "Takes effect on": "生效日期",
    "%(date)s (confirmed by the labour administration)": "%(date)s（经劳动行政部门确认）",
    LABELS["effective_unless_objection"]: "%(date)s（审查期限内未提出异议的）",
    "Objection of the labour administration": "劳动行政部门审查意见书",
    "Received on %(date)s": "%(date)s收到",
    "None received": "未收到",
    "Minutes of a collective consultation": "集体协商会议记录",
    "Negotiation": "协商事项",
    "Round": "轮次",
    "Round %(n)s": "第%(n)s轮",
    "Time": "时间",
    "Place": "地点",
    "Chaired by": "主持方",
    "Present": "出席人员",
    "Union side": "工会方",
    "Employer side": "企业方",
    "chief representative": "首席代表",
    "outside expert": "外部专家",
    "Agenda": "议题",
    "Record of the meeting": "会议内容",
    "Chief representative of the union": "工会方首席代表",
    "Chief representative of the employer": "企业方首席代表",
    "none": "无",
    "Resolution of the workers' congress": "职工代表大会决议",
    LABELS[
        "resolution_intro"
    ]: "%(date)s，%(enterprise)s职工代表大会对集体合同草案《%(title)s》（第%(version)s版）进行了表决。",
    "The vote": "表决情况",
    "Delegates in all": "应到代表",
    "Delegates present": "实到代表",
    "Votes for": "赞成",
    "Votes against": "反对",
    "Abstentions": "弃权",
    "Voting": "表决方式",
    "Secret electronic ballot": "电子无记名投票",
    "Paper ballot, counted by hand": "纸质投票，人工计票",
    "Result": "表决结果",
    "Passed": "通过",
    "Not passed": "未通过",
    LABELS["resolution_passed"]: "职工代表大会通过集体合同草案《%(title)s》。",
    LABELS["resolution_not_passed"]: "职工代表大会未通过集体合同草案《%(title)s》。",
    "At least two thirds of all delegates attended.": "出席代表达到全体代表的三分之二以上。",
    "Fewer than two thirds of all delegates attended.": "出席代表不足全体代表的三分之二。",
    LABELS["majority_more_than_half"]: "草案须经全体代表过半数同意方获通过。",
    LABELS["majority_half_or_more"]: "草案须经全体代表半数以上同意方获通过。",
    "Rule applied": "适用规则",
    "Rectification notice": "整改通知书",
    "To": "致",
    LABELS["notice_intro"]: "经本会核查，贵单位未履行集体合同《%(title)s》的下列约定：",
    "Obligation": "约定事项",
    "Period": "期间",
    "Workers affected": "涉及职工人数",
    "Shortfall": "差额",
    "Wages paid late": "工资迟延发放",
    LABELS["notice_request"]: "请贵单位及时整改，并将整改情况书面答复本会。",
}


def label(msgid: str) -> str:
    """``msgid`` in the active language: the catalogue's wording, else ``ZH_HANS`` for Chinese."""
    text = gettext(msgid)
    if text == msgid and (translation.get_language() or "").startswith("zh"):
        return ZH_HANS.get(msgid, msgid)
    return text


def labels() -> dict[str, str]:
    """Every label in the active language, by key."""
    return {key: label(msgid) for key, msgid in LABELS.items()}


def po_fragment() -> str:
    """The Chinese wording as .po entries, for merging into ``locale/zh_Hans``."""

    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return "\n".join(f"msgid {quote(msgid)}\nmsgstr {quote(text)}\n" for msgid, text in ZH_HANS.items())


if __name__ == "__main__":  # pragma: no cover
    print(po_fragment())
