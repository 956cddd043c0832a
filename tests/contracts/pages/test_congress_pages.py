"""The workers' congress in pages (contracts/pages/congress.py): delegates vote once, in secret,
from the page; the chair opens, watches the count of ballots, records a paper tally and closes;
everyone who may see the session reads the R6 result with its rule."""

import datetime as dt
import html
import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from contracts.enterprises.models import Role
from contracts.models import BallotBox, BallotReceipt, CongressMode, CongressSession, ContractStatus
from contracts.pages.congress import BALLOT
from contracts.rules.decisions import article
from contracts.services.ballot_box import tally_open
from contracts.services.congress import ballot_cast, congress_session_close, congress_tally_record
from tests.factories import EnterpriseFactory, contract_in_effect

pytestmark = pytest.mark.django_db

# What each choice is called on the ballot, and the value its field sends.
CHOICE_LABELS = {"yes": "For", "no": "Against", "abstain": "Abstain"}
FIELD_VALUE = {choice: key for key, (choice, _label) in BALLOT.items()}
HTMX = {"HTTP_HX_REQUEST": "true"}


# --- helpers ----------------------------------------------------------------------------


@pytest.fixture
def page_for():
    """A browser logged in as ``user``, reading the pages in ``language`` (English unless told)."""

    def make(user, language="en"):
        client = Client()
        # As stored: the factory sets the password in memory only, and the session checks its hash.
        client.force_login(type(user).objects.get(pk=user.pk))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


@pytest.fixture
def ballot_session(contract_in_congress, open_session):
    """An open session of secret electronic ballots (4 delegates unless told)."""

    def make(*, delegates_total=4, contract=None):
        return open_session(contract or contract_in_congress, delegates_total=delegates_total, mode=CongressMode.BALLOT)

    return make


def r6_article(language="en"):
    with translation.override(language):
        return article("R6")


def url(name, session):
    return reverse(f"contracts:{name}", kwargs={"session_id": session.pk})


def vote_through_the_page(page, session, choice, **headers):
    """Cast ``choice`` as the ballot's form sends it once the delegate confirmed it in the page."""
    return page.post(url("congress_vote", session), {"choice": FIELD_VALUE[choice], "confirm": "1"}, **headers)


def close_through_the_page(page, session, closing_code=None):
    """The close form as the chair sends it: the confirmation, and an electronic ballot's closing code
    (the one shown when it opened, unless told)."""
    code = closing_code if closing_code is not None else session.closing_code
    return page.post(url("congress_close", session), {"confirm": "on", **({"closing_code": code} if code else {})})


def sealed_counts(session):
    """What the ballot box holds, opened with the session's closing code, without closing it."""
    box = BallotBox.objects.get(session=session)
    counts = tally_open(
        closing_code=session.closing_code,
        session_id=session.pk,
        public_n=bytes(box.public_key),
        sealed_key=bytes(box.sealed_key),
        tally=bytes(box.tally),
    )
    return counts["yes"], counts["no"], counts["abstain"]


def visible_text(content: bytes) -> str:
    """What a person reads: the page without tags, scripts and styles (attributes are not read)."""
    text = content.decode()
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text))


def same_page(content: bytes) -> str:
    """A page with what differs between two renderings of the same facts taken out: the CSRF
    token (masked anew each time) and the ids in the addresses."""
    text = content.decode()
    text = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1-", text)
    text = re.sub(r'("X-CSRFToken": ")[^"]+', r"\1-", text)
    return re.sub(r"/(congress|contracts)/\d+/", r"/\1/N/", text)


def choice_traces(content: bytes) -> list[str]:
    """Anything in a page that would tell a choice: its label, or a choice's field in the markup."""
    text = content.decode()
    found = [label for label in CHOICE_LABELS.values() if re.search(rf"\b{label}\b", visible_text(content))]
    found += re.findall(r'name="choice"|value="(?:yes|no|abstain)"', text)
    return found


# --- voting -----------------------------------------------------------------------------


def test_delegates_vote_through_the_pages_each_once(ballot_session, make_delegates, page_for, enterprise):
    # given a four-delegate congress voting by secret ballot, three delegates present
    session = ballot_session(delegates_total=4)
    delegates = make_delegates(enterprise, 3)

    for delegate, choice in zip(delegates, CHOICE_LABELS, strict=True):
        page = page_for(delegate)
        # when each opens the ballot and casts a confirmed choice
        ballot = page.get(url("congress_session", session))
        assert ballot.status_code == 200
        assert all(f'name="choice" value="{key}"' in ballot.content.decode() for key in BALLOT)
        cast = vote_through_the_page(page, session, choice)

        # then the vote is counted and the page says so
        assert cast.status_code == 302
        assert cast["Location"] == url("congress_session", session)
        receipt = page.get(cast["Location"])
        assert "Your vote was counted." in visible_text(receipt.content)

    assert sealed_counts(session) == (1, 1, 1)
    assert BallotReceipt.objects.filter(session=session).count() == 3


def test_the_ballot_asks_to_confirm_the_choice_in_the_page_before_anything_is_sent(
    ballot_session, make_delegates, page_for, enterprise
):
    session = ballot_session()
    (delegate,) = make_delegates(enterprise, 1)

    content = page_for(delegate).get(url("congress_session", session)).content.decode()

    # three big choices, one tap each: labels of radio buttons that belong to no form, so a tap
    # (or the Enter key on one) sends nothing
    outside_forms = re.sub(r"<form\b.*?</form>", "", content, flags=re.S)
    for key, (_choice, label) in BALLOT.items():
        assert f'<label for="pick-{key}" class="button">{label}</label>' in outside_forms
        assert f'<input type="radio" name="pick" id="pick-{key}"' in outside_forms
    # then "you chose X", confirmed by a form of its own that sends the choice, or changed
    forms = re.findall(r'<form[^>]*class="confirm confirm-(\d)".*?</form>', content, flags=re.S)
    assert forms == list(BALLOT)
    for key, (_choice, label) in BALLOT.items():
        form = re.search(rf'<form[^>]*class="confirm confirm-{key}".*?</form>', content, flags=re.S).group(0)
        assert f'<p class="choice-chosen">{label}</p>' in form
        assert f'<input type="hidden" name="choice" value="{key}">' in form
        assert '<button type="submit" name="confirm" value="1" class="primary">' in form
        assert '<label for="pick-none" class="button">Change</label>' in form
    assert "You chose:" in visible_text(content.encode())
    # and the page's stylesheet (no inline style: the Content-Security-Policy) shows a choice's
    # confirmation only once it is picked
    assert "/static/pages/congress.css" in content and "<style" not in content
    css = (settings.BASE_DIR / "static" / "pages" / "congress.css").read_text()
    shown = re.search(r"([^{}]*)\{ display: block; \}", css.split(".ballot .confirm { display: none; }", 1)[1])
    assert {selector.strip() for selector in shown.group(1).split(",")} == {
        f"#pick-{key}:checked ~ .confirm-{key}" for key in BALLOT
    }


def test_every_choice_is_sent_in_a_field_value_of_the_same_length():
    assert len({len(key) for key in BALLOT}) == 1
    assert {choice for choice, _label in BALLOT.values()} == {"yes", "no", "abstain"}


def test_a_choice_sent_without_its_confirmation_counts_nothing(ballot_session, make_delegates, page_for, enterprise):
    session = ballot_session()
    (delegate,) = make_delegates(enterprise, 1)

    response = page_for(delegate).post(url("congress_vote", session), {"choice": FIELD_VALUE["no"]})

    assert response.status_code == 400
    assert "Choose For, Against or Abstain, then confirm your vote." in visible_text(response.content)
    assert BallotReceipt.objects.filter(session=session).count() == 0
    assert sealed_counts(session) == (0, 0, 0)
    assert 'name="choice" value="2"' in response.content.decode()  # the ballot is offered again


def test_a_second_vote_is_refused_with_the_reason(ballot_session, make_delegates, page_for, enterprise):
    session = ballot_session()
    (delegate,) = make_delegates(enterprise, 1)
    page = page_for(delegate)
    vote_through_the_page(page, session, "yes")

    # when the delegate confirms another choice
    again = vote_through_the_page(page, session, "no")

    # then it is refused with the service's reason, and nothing more is counted
    assert again.status_code == 409
    assert "You have already voted in this session." in visible_text(again.content)
    assert sealed_counts(session) == (1, 0, 0)
    # and the ballot is not offered again
    assert 'name="choice"' not in page.get(url("congress_session", session)).content.decode()


def test_with_htmx_the_receipt_replaces_the_ballot_and_shows_no_choice(
    ballot_session, make_delegates, page_for, enterprise
):
    session = ballot_session()
    (delegate,) = make_delegates(enterprise, 1)

    cast = vote_through_the_page(page_for(delegate), session, "abstain", **HTMX)

    assert cast.status_code == 200
    assert b"<html" not in cast.content
    assert cast.content.decode().count('id="ballot"') == 1
    assert "Your vote was counted." in visible_text(cast.content)
    assert choice_traces(cast.content) == []
    assert "no-store" in cast["Cache-Control"]
    assert json.loads(cast["HX-Trigger"]) == {"ballot-cast": {}}  # the count on the page refreshes
    assert sealed_counts(session) == (0, 0, 1)


def test_with_htmx_a_refusal_is_swapped_in_with_its_reason(ballot_session, make_delegates, page_for, enterprise):
    session = ballot_session()
    (delegate,) = make_delegates(enterprise, 1)
    page = page_for(delegate)
    vote_through_the_page(page, session, "yes", **HTMX)

    again = vote_through_the_page(page, session, "yes", **HTMX)

    assert again.status_code == 409
    assert 'id="ballot"' in again.content.decode()
    assert "You have already voted in this session." in visible_text(again.content)
    # the session's pages tell htmx to swap a refusal in, not to drop it
    page_html = page.get(url("congress_session", session)).content.decode()
    assert '<meta name="htmx-config"' in page_html and '"code":"4..","swap":true' in page_html


def test_a_non_delegate_sees_no_ballot_and_is_refused_on_post(ballot_session, union_user, employer_user, page_for):
    session = ballot_session()

    for user in (union_user, employer_user):
        page = page_for(user)
        seen = page.get(url("congress_session", session))
        cast = vote_through_the_page(page, session, "yes")

        assert seen.status_code == 200
        assert choice_traces(seen.content) == []
        assert url("congress_vote", session) not in seen.content.decode()
        assert cast.status_code == 403
        assert "Only a delegate to this enterprise's workers' congress may vote." in visible_text(cast.content)
    assert BallotReceipt.objects.filter(session=session).count() == 0


@pytest.mark.parametrize("sent", ["yes", "maybe", ""])
def test_an_unknown_choice_is_refused(ballot_session, make_delegates, page_for, enterprise, sent):
    session = ballot_session()
    (delegate,) = make_delegates(enterprise, 1)

    response = page_for(delegate).post(url("congress_vote", session), {"choice": sent, "confirm": "1"})

    assert response.status_code == 400
    assert BallotReceipt.objects.filter(session=session).count() == 0


# --- secrecy ----------------------------------------------------------------------------


def test_the_receipt_and_the_chair_page_are_the_same_whatever_the_delegate_chose(
    enterprise, make_contract_in_congress, open_session, make_delegates, union_user, page_for
):
    # given two open sessions in which the same delegate voted differently
    (delegate,) = make_delegates(enterprise, 1)
    seen = []
    for choice in ("yes", "no"):
        session = open_session(make_contract_in_congress(enterprise), delegates_total=4, mode=CongressMode.BALLOT)
        cast = vote_through_the_page(page_for(delegate), session, choice, **HTMX)
        again = vote_through_the_page(page_for(delegate), session, choice)

        # when the delegate reads their receipt and the chair reads the session and its count
        pages = {
            "receipt (htmx)": cast,
            "refusal of a second vote": again,
            "receipt": page_for(delegate).get(url("congress_session", session)),
            "chair": page_for(union_user).get(url("congress_session", session)),
            "count": page_for(union_user).get(url("congress_count", session)),
            "index": page_for(union_user).get(reverse("contracts:congress_index")),
            "delegate index": page_for(delegate).get(reverse("contracts:congress_index")),
        }
        assert [response.status_code for response in pages.values()] == [200, 409, 200, 200, 200, 200, 200]
        for name, response in pages.items():
            assert choice_traces(response.content) == [], name
        # (the second time the index lists both sessions: it is only searched for traces)
        seen.append({name: same_page(response.content) for name, response in pages.items() if "index" not in name})

    # then nothing tells the two apart
    for name in seen[0]:
        assert seen[0][name] == seen[1][name], name


def test_nothing_of_the_choice_is_kept_in_the_session_or_the_messages(
    ballot_session, make_delegates, page_for, enterprise
):
    session = ballot_session()
    (delegate,) = make_delegates(enterprise, 1)
    page = page_for(delegate)

    vote_through_the_page(page, session, "abstain")

    stored = page.session.load()
    assert not [value for value in map(str, stored.values()) if re.search(r"abstain|Abstain", value)]
    assert not [key for key in stored if "choice" in key or "messages" in key]
    assert not [cookie for cookie in page.cookies.values() if re.search(r"abstain|Abstain", cookie.value)]


# --- the chair: count, tally, close -----------------------------------------------------


def test_the_chair_sees_ballots_cast_of_all_with_the_attendance_line_polled_every_3_s(
    ballot_session, make_delegates, union_user, page_for, enterprise
):
    # given 4 delegates (attendance line: 3), 2 of whom voted
    session = ballot_session(delegates_total=4)
    for delegate, choice in zip(make_delegates(enterprise, 2), ("yes", "no"), strict=True):
        ballot_cast(user=delegate, session=session, choice=choice)

    page = page_for(union_user).get(url("congress_session", session))
    count = page_for(union_user).get(url("congress_count", session), **HTMX)

    content = page.content.decode()
    assert page.status_code == count.status_code == 200
    assert "2 of 4 delegates have voted" in visible_text(page.content)
    assert f'hx-get="{url("congress_count", session)}"' in content
    assert 'hx-trigger="every 3s, ballot-cast from:body"' in content
    assert 'class="count-line"' in content and '<rect class="filled" x="0" y="0" width="50.00%"' in content
    assert '<rect class="quorum" x="75.00%"' in content
    assert "style=" not in content
    assert "Attendance line (2/3 of all delegates): 3 delegates." in visible_text(page.content)
    assert "1 more needed." in visible_text(page.content)
    assert url("congress_close", session) in content
    # the polled part says the same, and keeps polling
    assert "2 of 4 delegates have voted" in visible_text(count.content)
    assert 'hx-trigger="every 3s, ballot-cast from:body"' in count.content.decode()
    assert choice_traces(page.content) == choice_traces(count.content) == []


def test_exactly_two_thirds_voting_reaches_the_attendance_line(
    ballot_session, make_delegates, union_user, page_for, enterprise
):
    # given 3 delegates, 2 of whom voted: exactly two thirds
    session = ballot_session(delegates_total=3)
    for delegate in make_delegates(enterprise, 2):
        ballot_cast(user=delegate, session=session, choice="yes")

    count = page_for(union_user).get(url("congress_count", session))

    assert "2 of 3 delegates have voted" in visible_text(count.content)
    assert "Reached." in visible_text(count.content)


def test_once_closed_the_polled_count_reloads_the_page_to_show_the_result(
    ballot_session, make_delegates, union_user, page_for, enterprise
):
    session = ballot_session(delegates_total=3)
    congress_session_close(user=union_user, session=session, closing_code=session.closing_code)

    count = page_for(union_user).get(url("congress_count", session), **HTMX)

    assert count.status_code == 200
    assert count["HX-Refresh"] == "true"


def test_the_chair_closes_and_everyone_sees_the_r6_result_with_the_rule(
    ballot_session, make_delegates, union_user, page_for, enterprise, contract_in_congress
):
    # given 3 delegates voting for, for and against
    session = ballot_session(delegates_total=3)
    delegates = make_delegates(enterprise, 3)
    for delegate, choice in zip(delegates, ("yes", "yes", "no"), strict=True):
        vote_through_the_page(page_for(delegate), session, choice)

    # when the chair closes the vote
    closed = close_through_the_page(page_for(union_user), session)

    # then the draft passed, and the chair and every delegate read why, under which rule
    assert closed.status_code == 302
    contract_in_congress.refresh_from_db()
    assert contract_in_congress.status == ContractStatus.APPROVED
    for user in (union_user, *delegates):
        text = visible_text(page_for(user).get(url("congress_session", session)).content)
        assert "Result: Passed" in text
        assert "Passed: 3 of 3 delegates attended (at least 2 needed) and 2 voted yes" in text
        assert f"R6 · {r6_article()}" in text
        assert "Delegates in all 3" in text
        assert "Delegates present 3" in text
        assert "Attendance needed (2/3 of all delegates) 2 reached" in text
        assert "Votes for 2" in text
        assert "Votes for needed (more than half of all delegates) 2 reached" in text
        assert "Votes against 1" in text and "Abstentions 0" in text
        assert "Your vote" not in text  # no ballot once closed
    assert "You voted in this session." in visible_text(
        page_for(delegates[0]).get(url("congress_session", session)).content
    )


def test_closing_asks_to_confirm_that_the_vote_is_over(ballot_session, union_user, page_for):
    session = ballot_session()

    response = page_for(union_user).post(url("congress_close", session), {})

    assert response.status_code == 400
    assert "Tick the box to confirm that the vote is over." in visible_text(response.content)
    assert CongressSession.objects.get(pk=session.pk).closed_at is None


def test_a_paper_tally_one_vote_short_of_more_than_half_of_all_is_not_passed(
    contract_in_congress, open_session, union_user, page_for
):
    # given 30 delegates, 20 present, 15 for: exactly half of all, one short of more than half
    session = open_session(contract_in_congress, delegates_total=30, mode=CongressMode.TALLY)
    page = page_for(union_user)

    recorded = page.post(url("congress_tally", session), {"present": 20, "yes": 15, "no": 5, "abstain": 0})
    closed = close_through_the_page(page, session)

    assert recorded.status_code == closed.status_code == 302
    text = visible_text(page.get(url("congress_session", session)).content)
    assert "Result: Not passed" in text
    assert (
        "Not passed: 15 of 30 delegates voted yes, but more than half of all delegates (at least 16) must vote yes."
        in text
    )
    assert f"R6 · {r6_article()}" in text
    assert "Attendance needed (2/3 of all delegates) 20 reached" in text
    assert "Votes for needed (more than half of all delegates) 16 not reached" in text
    contract_in_congress.refresh_from_db()
    assert contract_in_congress.status == ContractStatus.DRAFT


def test_a_paper_tally_with_exactly_two_thirds_present_passes(contract_in_congress, open_session, union_user, page_for):
    session = open_session(contract_in_congress, delegates_total=30, mode=CongressMode.TALLY)
    page = page_for(union_user)

    page.post(url("congress_tally", session), {"present": 20, "yes": 16, "no": 3, "abstain": 1})
    close_through_the_page(page, session)

    text = visible_text(page.get(url("congress_session", session)).content)
    assert "Result: Passed" in text
    assert "Passed: 20 of 30 delegates attended (at least 20 needed)" in text
    assert "Attendance needed (2/3 of all delegates) 20 reached" in text


def test_the_tally_shows_the_refusals_of_its_checks(contract_in_congress, open_session, union_user, page_for):
    session = open_session(contract_in_congress, delegates_total=30, mode=CongressMode.TALLY)
    page = page_for(union_user)

    too_many_votes = page.post(url("congress_tally", session), {"present": 21, "yes": 15, "no": 7, "abstain": 0})
    too_many_present = page.post(url("congress_tally", session), {"present": 31, "yes": 16, "no": 0, "abstain": 0})
    negative = page.post(url("congress_tally", session), {"present": 20, "yes": -1, "no": 0, "abstain": 0})
    close_first = close_through_the_page(page, session)

    assert too_many_votes.status_code == 400
    assert "22 votes (yes, no and abstentions) from only 21 delegates present." in visible_text(too_many_votes.content)
    assert too_many_present.status_code == 400
    assert "31 delegates present, but the congress has only 30." in visible_text(too_many_present.content)
    assert negative.status_code == 400
    assert 'value="-1"' in negative.content.decode()  # the form keeps what was typed
    assert close_first.status_code == 409
    assert "Record the count of the paper ballots before closing the session." in visible_text(close_first.content)
    session.refresh_from_db()
    assert (session.present, session.closed_at) == (None, None)


def test_while_a_tally_is_open_its_votes_are_not_shown(contract_in_congress, open_session, union_user, page_for):
    session = open_session(contract_in_congress, delegates_total=30, mode=CongressMode.TALLY)
    congress_tally_record(user=union_user, session=session, present=23, yes=17, no=4, abstain=2)

    page = page_for(union_user).get(url("congress_session", session)).content.decode()

    card = re.search(r'<section class="card" id="tally">.*?</section>', page, flags=re.S).group(0)
    assert "A count is recorded (23 delegates present)." in visible_text(card.encode())
    assert not re.search(r"\b(17|4|2)\b", visible_text(card.encode()))
    assert not re.search(r'value="(17|4|2)"', page)


# --- who may do what --------------------------------------------------------------------


def test_the_chair_opens_a_session_through_the_page(contract_in_congress, union_user, page_for):
    page = page_for(union_user)
    open_url = reverse("contracts:congress_open", kwargs={"pk": contract_in_congress.pk})

    form = page.get(open_url)
    opened = page.post(open_url, {"delegates_total": 31, "held_on": "2026-06-15", "mode": "ballot"})
    again = page.post(open_url, {"delegates_total": 31, "held_on": "2026-06-15", "mode": "tally"})

    assert form.status_code == 200
    text = visible_text(form.content)
    assert "secret electronic ballot" in text and "paper ballot, counted by hand" in text
    # the answer is the page of the closing code, shown this once and never cached
    assert opened.status_code == 200
    session = CongressSession.objects.get(contract=contract_in_congress)
    assert (session.delegates_total, session.held_on, session.mode) == (31, dt.date(2026, 6, 15), "ballot")
    assert "no-store" in opened["Cache-Control"]
    assert url("congress_session", session) in opened.content.decode()
    session.closing_code = closing_code_in(opened)
    assert sealed_counts(session) == (0, 0, 0)  # it opens this session's ballot box
    assert session.closing_code.replace("-", "") not in page.get(url("congress_session", session)).content.decode()
    assert again.status_code == 409
    assert "This contract already has an open congress session." in visible_text(again.content)
    assert CongressSession.objects.filter(contract=contract_in_congress).count() == 1


def closing_code_in(response) -> str:
    groups = re.search(r'<p class="closing-code"[^>]*>(.*?)</p>', response.content.decode(), flags=re.S).group(1)
    return "-".join(re.findall(r"<span>([0-9A-Z]{4})</span>", groups))


def test_the_closing_code_page_reads_on_a_phone_and_prints_without_inline_script(
    contract_in_congress, union_user, page_for
):
    open_url = reverse("contracts:congress_open", kwargs={"pk": contract_in_congress.pk})

    opened = page_for(union_user).post(open_url, {"delegates_total": 5, "held_on": "2026-06-15", "mode": "ballot"})

    content = opened.content.decode()
    assert len(closing_code_in(opened).split("-")) == 8  # 8 groups of 4, each kept on one line
    assert "Write it down or print it now" in visible_text(opened.content)
    assert '<button type="button" class="button" data-print hidden>' in content  # shown by pages/congress.js
    assert "/static/pages/congress.js" in content and "/static/pages/congress.css" in content
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", content)


def test_a_paper_session_opened_through_the_page_has_no_code(contract_in_congress, union_user, page_for):
    open_url = reverse("contracts:congress_open", kwargs={"pk": contract_in_congress.pk})

    opened = page_for(union_user).post(open_url, {"delegates_total": 5, "held_on": "2026-06-15", "mode": "tally"})

    session = CongressSession.objects.get(contract=contract_in_congress)
    assert opened.status_code == 302 and opened["Location"] == url("congress_session", session)
    assert 'name="closing_code"' not in page_for(union_user).get(opened["Location"]).content.decode()


def test_the_close_form_asks_for_the_code_and_refuses_a_wrong_one_where_it_was_typed(
    ballot_session, make_delegates, union_user, page_for, enterprise
):
    session = ballot_session(delegates_total=3)
    for delegate in make_delegates(enterprise, 2):
        ballot_cast(user=delegate, session=session, choice="yes")
    page = page_for(union_user)

    form = page.get(url("congress_session", session)).content.decode()
    missing = page.post(url("congress_close", session), {"confirm": "on"})
    malformed = close_through_the_page(page, session, closing_code="1234")
    wrong = close_through_the_page(page, session, closing_code="ABCD-" * 7 + "ABCD")

    assert 'name="closing_code"' in form
    assert missing.status_code == 400
    assert "Enter the closing code shown when the session was opened." in visible_text(missing.content)
    assert malformed.status_code == 400
    assert "The closing code has 32 letters and digits" in visible_text(malformed.content)
    assert wrong.status_code == 400
    assert "This closing code does not open this session's ballot box." in visible_text(wrong.content)
    # what was typed stays in the field (two lines, the whole code in view), to be corrected
    assert re.search(r'<textarea[^>]*name="closing_code"[^>]*>\s*ABCD-ABCD', wrong.content.decode())
    assert CongressSession.objects.get(pk=session.pk).closed_at is None
    assert sealed_counts(session) == (2, 0, 0)

    closed = close_through_the_page(page, session)

    assert closed.status_code == 302
    assert "Votes for 2" in visible_text(page.get(url("congress_session", session)).content)


def test_a_session_whose_code_is_lost_is_cancelled_through_the_page(
    ballot_session, make_delegates, union_user, page_for, enterprise, contract_in_congress
):
    session = ballot_session(delegates_total=3)
    (delegate,) = make_delegates(enterprise, 1)
    ballot_cast(user=delegate, session=session, choice="no")
    page = page_for(union_user)

    unconfirmed = page.post(url("congress_cancel", session), {})
    by_delegate = page_for(delegate).post(url("congress_cancel", session), {"confirm": "on"})
    cancelled = page.post(url("congress_cancel", session), {"confirm": "on"})

    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm that the session is to be cancelled." in visible_text(unconfirmed.content)
    assert by_delegate.status_code == 403
    assert cancelled.status_code == 302
    assert cancelled["Location"] == reverse("contracts:contract", kwargs={"pk": contract_in_congress.pk})
    assert not CongressSession.objects.filter(pk=session.pk).exists()
    contract_in_congress.refresh_from_db()
    assert contract_in_congress.status == ContractStatus.IN_CONGRESS
    reopen = page.get(reverse("contracts:congress_open", kwargs={"pk": contract_in_congress.pk}))
    assert 'name="delegates_total"' in reopen.content.decode()


def test_a_contract_not_before_the_congress_cannot_be_put_to_the_vote(enterprise, union_user, page_for):
    contract = contract_in_effect(enterprise, union_user, status=ContractStatus.DRAFT)
    open_url = reverse("contracts:congress_open", kwargs={"pk": contract.pk})

    form = page_for(union_user).get(open_url)
    posted = page_for(union_user).post(open_url, {"delegates_total": 30, "held_on": "2026-06-15", "mode": "ballot"})

    assert form.status_code == posted.status_code == 409
    assert "Cannot put it to the vote" in visible_text(form.content)
    assert 'name="delegates_total"' not in form.content.decode()
    assert not CongressSession.objects.filter(contract=contract).exists()


def test_a_delegate_cannot_open_or_close_a_session(
    contract_in_congress, ballot_session, make_delegates, page_for, enterprise, make_contract_in_congress
):
    (delegate,) = make_delegates(enterprise, 1)
    page = page_for(delegate)
    other = make_contract_in_congress(enterprise)
    open_url = reverse("contracts:congress_open", kwargs={"pk": other.pk})
    session = ballot_session()

    form = page.get(open_url)
    opened = page.post(open_url, {"delegates_total": 30, "held_on": "2026-06-15", "mode": "ballot"})
    seen = page.get(url("congress_session", session))
    closed = close_through_the_page(page, session)
    tally = page.post(url("congress_tally", session), {"present": 3, "yes": 3, "no": 0, "abstain": 0})

    assert form.status_code == 403 and 'name="delegates_total"' not in form.content.decode()
    assert opened.status_code == 403
    assert "Only negotiators and union leaders of this enterprise may run its workers' congress." in visible_text(
        opened.content
    )
    assert not CongressSession.objects.filter(contract=other).exists()
    assert url("congress_close", session) not in seen.content.decode()
    assert closed.status_code == 403
    assert "may run its workers' congress" in visible_text(closed.content)
    assert tally.status_code == 403
    assert CongressSession.objects.get(pk=session.pk).closed_at is None


def test_another_enterprises_user_gets_404(ballot_session, contract_in_congress, make_member, page_for):
    session = ballot_session()
    stranger = make_member(EnterpriseFactory(), Role.UNION_LEADER, Role.CONGRESS_DELEGATE)
    page = page_for(stranger)

    responses = [
        page.get(url("congress_session", session)),
        page.get(url("congress_count", session)),
        vote_through_the_page(page, session, "yes"),
        page.post(url("congress_tally", session), {"present": 3, "yes": 3, "no": 0, "abstain": 0}),
        close_through_the_page(page, session),
        page.get(reverse("contracts:congress_open", kwargs={"pk": contract_in_congress.pk})),
    ]

    assert [response.status_code for response in responses] == [404] * 6
    assert BallotReceipt.objects.filter(session=session).count() == 0
    assert str(session.contract.title) not in page.get(reverse("contracts:congress_index")).content.decode()


def test_the_pages_ask_to_log_in(ballot_session):
    session = ballot_session()

    response = Client().get(url("congress_session", session))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


# --- the index --------------------------------------------------------------------------


def test_the_index_puts_the_sessions_open_for_a_delegates_vote_first(
    enterprise, make_contract_in_congress, open_session, make_delegates, union_user, page_for
):
    # given a closed session, an open paper tally and an open ballot, in that order of creation
    (delegate,) = make_delegates(enterprise, 1)
    closed = open_session(make_contract_in_congress(enterprise), delegates_total=3, held_on=dt.date(2026, 6, 20))
    congress_tally_record(user=union_user, session=closed, present=3, yes=3, no=0, abstain=0)
    congress_session_close(user=union_user, session=closed)
    tally = open_session(make_contract_in_congress(enterprise), held_on=dt.date(2026, 6, 18))
    ballot = open_session(make_contract_in_congress(enterprise), mode=CongressMode.BALLOT, held_on=dt.date(2026, 6, 1))
    index = reverse("contracts:congress_index")

    before = page_for(delegate).get(index)
    vote_through_the_page(page_for(delegate), ballot, "yes")
    after = page_for(delegate).get(index)

    def order(response):
        return [int(pk) for pk in re.findall(r'href="/congress/(\d+)/"', response.content.decode())]

    assert before.status_code == 200
    assert order(before)[:1] == [ballot.pk]  # open for their vote, first (and linked twice: title, "vote now")
    assert "Vote now" in visible_text(before.content)
    assert list(dict.fromkeys(order(after))) == [tally.pk, ballot.pk, closed.pk]  # open first, latest first
    assert "Vote now" not in visible_text(after.content)
    assert "You have voted" in visible_text(after.content)
    text = visible_text(after.content)
    assert "Passed" in text and "Voting open" in text
    assert "paper ballot, counted by hand" in text and "secret electronic ballot" in text


def test_the_index_offers_the_chair_to_open_a_session_for_a_draft_before_the_congress(
    contract_in_congress, union_user, make_delegates, page_for, enterprise
):
    (delegate,) = make_delegates(enterprise, 1)
    open_url = reverse("contracts:congress_open", kwargs={"pk": contract_in_congress.pk})

    chair = page_for(union_user).get(reverse("contracts:congress_index"))
    other = page_for(delegate).get(reverse("contracts:congress_index"))

    assert open_url in chair.content.decode()
    assert open_url not in other.content.decode()


def test_the_index_reads_a_bounded_number_of_queries(
    enterprise, make_contract_in_congress, open_session, make_delegates, page_for, django_assert_max_num_queries
):
    (delegate,) = make_delegates(enterprise, 1)
    page = page_for(delegate)
    index = reverse("contracts:congress_index")
    open_session(make_contract_in_congress(enterprise), mode=CongressMode.BALLOT)
    page.get(index)  # the session and the user are loaded once
    with django_assert_max_num_queries(100) as one:
        page.get(index)
    for _ in range(4):
        open_session(make_contract_in_congress(enterprise), mode=CongressMode.BALLOT)

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = page.get(index)

    assert response.content.decode().count("Vote now") == 5


# --- languages and words ----------------------------------------------------------------

CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # snake_case: in_congress, more_than_half, congress_delegate
# Codes that are also English words: in the Chinese pages they can only be codes.
ENGLISH_CODES = re.compile(r"\b(yes|abstain|ballot|tally|in_congress|national|True|False|None)\b")


@pytest.fixture
def every_page(
    enterprise, make_contract_in_congress, open_session, make_delegates, union_user, page_for, contract_in_congress
):
    """Every page of the congress, as each reader sees it, in ``language``."""
    delegates = make_delegates(enterprise, 3)
    ballot = open_session(make_contract_in_congress(enterprise), delegates_total=3, mode=CongressMode.BALLOT)
    ballot_cast(user=delegates[0], session=ballot, choice="yes")
    tally = open_session(make_contract_in_congress(enterprise), delegates_total=30)
    congress_tally_record(user=union_user, session=tally, present=20, yes=15, no=5, abstain=0)
    decided = open_session(make_contract_in_congress(enterprise), delegates_total=30)
    congress_tally_record(user=union_user, session=decided, present=20, yes=15, no=5, abstain=0)
    congress_session_close(user=union_user, session=decided)

    def read(language):
        chair, voted, voter = (page_for(user, language) for user in (union_user, delegates[0], delegates[1]))
        return {
            "index (chair)": chair.get(reverse("contracts:congress_index")),
            "index (delegate)": voter.get(reverse("contracts:congress_index")),
            "open": chair.get(reverse("contracts:congress_open", kwargs={"pk": contract_in_congress.pk})),
            "ballot (chair)": chair.get(url("congress_session", ballot)),
            "count": chair.get(url("congress_count", ballot)),
            "ballot (delegate)": voter.get(url("congress_session", ballot)),
            "not confirmed": voter.post(url("congress_vote", ballot), {"choice": FIELD_VALUE["abstain"]}),
            "receipt": voted.get(url("congress_session", ballot)),
            "refused": vote_through_the_page(voted, ballot, "no"),
            "tally (chair)": chair.post(
                url("congress_tally", tally), {"present": 20, "yes": 15, "no": 6, "abstain": 0}
            ),
            "tally (delegate)": voter.get(url("congress_session", tally)),
            "result": voter.get(url("congress_session", decided)),
        }

    return read


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_pages_render_in_both_languages_with_no_internal_codes(every_page, language):
    pages = every_page(language)

    for name, response in pages.items():
        assert response.status_code in (200, 400, 409), name
        text = visible_text(response.content)
        assert CODE.findall(text) == [], name
        if language == "zh-hans":
            assert ENGLISH_CODES.findall(text) == [], name
        if b"<html" in response.content:
            assert f'<html lang="{language}">' in response.content.decode(), name


def test_the_chinese_pages_word_the_modes_and_results_in_chinese(every_page):
    pages = every_page("zh-hans")

    assert "电子无记名投票" in visible_text(pages["ballot (chair)"].content)
    assert "纸质投票，人工计票" in visible_text(pages["tally (delegate)"].content)
    result = visible_text(pages["result"].content)
    assert "未通过" in result
    assert f"R6 · {r6_article('zh-hans')}" in result
    assert r6_article("en") not in result
    assert "超过全体职工代表的半数" in result


def test_error_reports_never_show_a_choice_or_a_closing_code(ballot_session, make_delegates, union_user, page_for):
    # Django's error reports (the DEBUG page, the e-mails to ADMINS) hide the parameters a view marks
    session = ballot_session()
    (delegate,) = make_delegates(session.contract.enterprise, 1)

    voted = vote_through_the_page(page_for(delegate), session, "no")
    closed = close_through_the_page(page_for(union_user), session)

    assert voted.wsgi_request.sensitive_post_parameters == ("choice",)
    assert closed.wsgi_request.sensitive_post_parameters == ("closing_code",)


# --- who may, asked before the form is read ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("congress_tally", {"present": "many", "yes": "-1"}),
        ("congress_tally", {}),
        ("congress_close", {}),
        ("congress_close", {"closing_code": "X" * 100}),
        ("congress_cancel", {}),
    ],
)
def test_a_delegate_is_refused_the_chairs_forms_with_403_even_when_the_form_is_invalid(
    ballot_session, make_delegates, enterprise, page_for, name, form
):
    session = ballot_session()
    (delegate,) = make_delegates(enterprise, 1)

    response = page_for(delegate).post(url(name, session), form)

    assert response.status_code == 403
    assert "may run its workers' congress" in visible_text(response.content)
    assert CongressSession.objects.get(pk=session.pk).closed_at is None


@pytest.mark.parametrize("form", [{}, {"choice": "7"}, {"choice": FIELD_VALUE["yes"], "confirm": "1"}])
def test_a_chair_who_is_no_delegate_is_refused_a_ballot_with_403_whatever_was_sent(
    ballot_session, union_user, page_for, form
):
    session = ballot_session()

    response = page_for(union_user).post(url("congress_vote", session), form)

    assert response.status_code == 403
    assert "Only a delegate to this enterprise's workers' congress may vote." in visible_text(response.content)
    assert not BallotReceipt.objects.filter(session=session).exists()


def test_a_delegate_posting_an_invalid_open_form_is_refused_with_403(
    make_delegates, enterprise, page_for, make_contract_in_congress
):
    (delegate,) = make_delegates(enterprise, 1)
    contract = make_contract_in_congress(enterprise)

    response = page_for(delegate).post(
        reverse("contracts:congress_open", kwargs={"pk": contract.pk}), {"delegates_total": "-3"}
    )

    assert response.status_code == 403
    assert 'name="delegates_total"' not in response.content.decode()
    assert not CongressSession.objects.filter(contract=contract).exists()


def test_the_live_count_is_for_whoever_sees_an_electronic_ballot_and_a_paper_tally_has_none(
    ballot_session, open_session, union_user, make_delegates, enterprise, page_for, make_contract_in_congress
):
    session = ballot_session()
    paper = open_session(make_contract_in_congress(enterprise), mode=CongressMode.TALLY)
    (delegate,) = make_delegates(enterprise, 1)
    ballot_cast(user=delegate, session=session, choice="yes")

    for user in (union_user, delegate):
        count = page_for(user).get(url("congress_count", session), **HTMX)
        assert count.status_code == 200
        assert 'aria-valuenow="1"' in count.content.decode()
        assert page_for(user).get(url("congress_count", paper)).status_code == 404
    assert page_for(union_user).post(url("congress_count", session)).status_code == 405
