"""The rule pack in force: the pack's defaults from code with its administrator's setting applied.

Read with one query each time it is asked for, so a decision takes the setting as it stands
when it is made; the decision stores what it applied (the congress result keeps ``majority``)."""

from dataclasses import replace

from contracts.rules.pack_settings.models import RulePackSetting
from contracts.rules.packs import RulePack, rule_pack_get


def rule_pack_in_force(code: str) -> RulePack:
    """The pack ``code`` names (the national one for an unknown code), as its setting changes it.

    Without a setting, or with one equal to the default, this is the very pack of ``PACKS``."""
    pack = rule_pack_get(code)
    majority = RulePackSetting.objects.filter(pack=pack.code).values_list("congress_majority", flat=True).first()
    if majority is None or majority == pack.congress_majority:
        return pack
    return replace(pack, congress_majority=majority)
