"""The alerts inbox and the notification preferences as pages: a person sees only their own
alerts, unread first, worded as their e-mails word them; marking read (one, all, or by opening
the alert) goes through the services; preferences saved on the page decide how the next alert
is e-mailed."""

import datetime as dt
import re

import pytest
from django.template import Context, engines
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from notifications.context_processors import unread_alerts
from notifications.models import Alert, Level, Mailing, Mode, Preference
from notifications.pages import PAGE_SIZE
from notifications.services import alert_raise, preference_get
from notifications.services.preferences import mailing_for
from tests.factories import UserFactory
from tests.notifications.conftest import breach_context, deadline_context

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:alerts")
PREFERENCES = reverse("notifications:preferences")


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def page(user):
    """A browser logged in as ``user``, reading the pages in English."""
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def make_alert(user, n, *, level=Level.BREACH, read=False, minutes_ago=0, link=None, context=None):
    breach = level == Level.BREACH
    alert = Alert.objects.create(
        recipient=user,
        level=level,
        template="breach_found" if breach else ("overdue" if level == Level.OVERDUE else "deadline_soon"),
        context=context or (breach_context(breach=n, clause=str(n)) if breach else deadline_context(contract=n)),
        link=f"/breaches/#breach-{n}" if link is None else link,
        dedup_key=f"k:{n}",
        read_at=timezone.now() if read else None,
    )
    Alert.objects.filter(pk=alert.pk).update(created_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return alert


def row_ids(response) -> list[int]:
    return [int(n) for n in re.findall(r'<li class="alert-row[^"]*" id="alert-(\d+)"', response.content.decode())]


def row(response, alert) -> str:
    """The alert's row in the inbox, up to the next row."""
    chunks = response.content.decode().split('<li class="alert-row')
    (found,) = [chunk for chunk in chunks[1:] if f'id="alert-{alert.pk}"' in chunk.split(">", 1)[0]]
    return found


# --- the inbox ---------------------------------------------------------------------------------


def test_the_inbox_needs_a_login():
    response = Client().get(INBOX)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_inbox_lists_the_users_own_alerts_unread_first_then_newest(page, user):
    old_unread = make_alert(user, 1, minutes_ago=30)
    new_read = make_alert(user, 2, read=True, minutes_ago=1)
    new_unread = make_alert(user, 3, minutes_ago=5)
    someone_elses = make_alert(UserFactory(), 4)

    response = page.get(INBOX)

    assert response.status_code == 200
    assert row_ids(response) == [new_unread.pk, old_unread.pk, new_read.pk]
    assert f"alert-{someone_elses.pk}" not in response.content.decode()
    assert "You have 2 unread alerts." in response.content.decode()
    assert 'data-read="0"' in row(response, new_unread)
    assert 'data-read="1"' in row(response, new_read)


def test_each_alert_is_worded_as_its_e_mail_words_it_never_as_its_codes(page, user, freeze_now):
    freeze_now(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    breach = make_alert(user, 3)
    deadline = make_alert(user, 7, level=Level.WARNING, link="/contracts/7/")

    response = page.get(INBOX)

    breach_row, deadline_row = row(response, breach), row(response, deadline)
    # the subject of the e-mail, its level, enterprise and the facts it leads with
    assert "Breach at Hengda Textiles: clause 3, 2026-03" in breach_row
    assert "Employees affected: 12" in breach_row
    assert "Total shortfall: ¥1,234.56" in breach_row
    assert "Minimum monthly wage" in breach_row
    assert "R13 · Labour Law, Art. 48" in breach_row
    assert "breach" in breach_row and "Hengda Textiles" in breach_row
    assert "Deadline March 24, 2026: filing the signed contract with the labour administration" in deadline_row
    assert "(in 4 days)" in deadline_row
    assert "Up to: the employer side" in deadline_row
    # no code of ours, no raw dict
    for code in ("breach_found", "deadline_soon", "min_monthly_wage", "{'", "&#x27;breach&#x27;", "R8:"):
        assert code not in breach_row + deadline_row
    # each subject opens through alert_open, a POST (opening marks it read)
    assert f'<form method="post" action="{reverse("notifications:alert_open", args=[deadline.pk])}"' in deadline_row


def test_the_inbox_reads_in_chinese_by_default(user):
    client = Client()
    client.force_login(user)
    alert = make_alert(user, 3)

    response = client.get(INBOX)

    assert "违约提醒：Hengda Textiles，第 3 条，2026-03" in row(response, alert)
    assert "1,234.56元" in row(response, alert)


def test_filters_show_unread_only_or_one_level(page, user):
    read_breach = make_alert(user, 1, read=True)
    unread_breach = make_alert(user, 2)
    unread_warning = make_alert(user, 3, level=Level.WARNING)

    assert row_ids(page.get(INBOX, {"read": "unread"})) == [unread_warning.pk, unread_breach.pk]
    assert row_ids(page.get(INBOX, {"read": "read"})) == [read_breach.pk]
    assert row_ids(page.get(INBOX, {"level": Level.WARNING})) == [unread_warning.pk]
    assert row_ids(page.get(INBOX, {"level": Level.BREACH, "read": "unread"})) == [unread_breach.pk]
    # a value the filters do not know is ignored, not an error
    assert len(row_ids(page.get(INBOX, {"level": "nonsense", "read": "maybe"}))) == 3


def test_the_empty_inbox_says_so_and_a_filter_that_matches_nothing_says_so_differently(page, user):
    empty = page.get(INBOX)
    assert empty.status_code == 200
    assert "You have no alerts yet." in empty.content.decode()
    assert "No unread alert." in empty.content.decode()

    make_alert(user, 1)
    filtered = page.get(INBOX, {"level": Level.INFO})
    assert "No alert matches these filters." in filtered.content.decode()


def test_the_inbox_pages_by_fifty_keeping_its_filters(page, user):
    Alert.objects.bulk_create(
        [
            Alert(
                recipient=user,
                level=Level.WARNING,
                template="deadline_soon",
                context=deadline_context(),
                dedup_key=f"k:{n}",
            )
            for n in range(PAGE_SIZE + 3)
        ]
    )

    first = page.get(INBOX, {"level": Level.WARNING})
    second = page.get(INBOX, {"level": Level.WARNING, "page": 2})

    assert len(row_ids(first)) == PAGE_SIZE
    assert len(row_ids(second)) == 3
    assert set(row_ids(first)).isdisjoint(row_ids(second))
    assert f'href="{INBOX}?level=warning&amp;page=2"' in first.content.decode()


def test_the_inbox_reads_a_bounded_number_of_queries(page, user, django_assert_max_num_queries):
    for n in range(30):
        make_alert(user, n, level=Level.BREACH if n % 2 else Level.OVERDUE)

    with django_assert_max_num_queries(8):
        response = page.get(INBOX)

    assert len(row_ids(response)) == 30


# --- marking read ------------------------------------------------------------------------------


def test_the_owner_marks_an_alert_read_and_is_sent_back_to_the_inbox_as_filtered(page, user):
    alert = make_alert(user, 1)

    response = page.post(reverse("notifications:alert_read", args=[alert.pk]), {"next": f"{INBOX}?level=breach"})

    assert response.status_code == 302
    assert response["Location"] == f"{INBOX}?level=breach#alert-{alert.pk}"
    alert.refresh_from_db()
    assert alert.read_at is not None


def test_under_htmx_marking_read_answers_the_row_read_and_the_new_count(page, user):
    alert = make_alert(user, 1)
    make_alert(user, 2)

    response = page.post(reverse("notifications:alert_read", args=[alert.pk]), headers={"hx-request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="alert-row level-breach" id="alert-{alert.pk}" data-read="1"')
    assert reverse("notifications:alert_read", args=[alert.pk]) not in html  # no button left on it
    assert 'id="alerts-summary" hx-swap-oob="true"' in html
    assert "You have 1 unread alert." in html


def test_under_htmx_marking_read_also_answers_the_navigations_count_out_of_band(page, user):
    alert = make_alert(user, 1)
    make_alert(user, 2)
    make_alert(user, 3)

    response = page.post(reverse("notifications:alert_read", args=[alert.pk]), headers={"hx-request": "true"})

    nav = re.search(r'<a id="nav-alerts"[^>]*>.*?</a>', response.content.decode(), re.S).group(0)
    assert f"hx-swap-oob=\"outerHTML:.site-nav a[href='{INBOX}']\"" in nav
    assert f'href="{INBOX}"' in nav
    assert '<span class="count" aria-label="2 unread alerts">2</span>' in nav


def test_under_htmx_mark_all_read_answers_the_inbox_in_place_as_filtered(page, user):
    breach = make_alert(user, 1)
    warning = make_alert(user, 2, level=Level.WARNING)

    response = page.post(
        reverse("notifications:alerts_read_all"), {"next": f"{INBOX}?level=breach"}, headers={"hx-request": "true"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="inbox">')
    assert "2 alerts marked read." in html
    assert "No unread alert." in html
    assert row_ids(response) == [breach.pk]  # still filtered on breaches
    assert 'data-read="1"' in row(response, breach)
    assert reverse("notifications:alerts_read_all") not in html
    assert 'id="alerts-summary" hx-swap-oob' not in html  # in the inbox swapped, not out of band
    nav = re.search(r'<a id="nav-alerts"[^>]*>.*?</a>', html, re.S).group(0)
    assert "hx-swap-oob" in nav and 'class="count"' not in nav
    assert Alert.objects.get(pk=warning.pk).read_at is not None  # all of them, not only those shown


def test_a_redirect_elsewhere_cannot_be_smuggled_into_next(page, user):
    alert = make_alert(user, 1)

    response = page.post(reverse("notifications:alert_read", args=[alert.pk]), {"next": "https://evil.example/"})

    assert response["Location"] == f"{INBOX}#alert-{alert.pk}"


@pytest.mark.parametrize("name", ["notifications:alert_read", "notifications:alert_open"])
def test_another_users_alert_is_not_found_and_stays_unread(page, name):
    theirs = make_alert(UserFactory(), 1, link="/contracts/1/")

    response = page.post(reverse(name, args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_alert_id_that_does_not_exist_is_not_found(page):
    assert page.post(reverse("notifications:alert_read", args=[987654])).status_code == 404
    assert page.post(reverse("notifications:alert_open", args=[987654])).status_code == 404


def test_marking_read_and_opening_are_posts(page, user):
    alert = make_alert(user, 1, link="/contracts/1/")

    assert page.get(reverse("notifications:alert_read", args=[alert.pk])).status_code == 405
    assert page.get(reverse("notifications:alerts_read_all")).status_code == 405
    assert page.get(reverse("notifications:alert_open", args=[alert.pk])).status_code == 405
    alert.refresh_from_db()
    assert alert.read_at is None


def test_mark_all_read_reads_the_users_alerts_only(page, user):
    mine = [make_alert(user, 1), make_alert(user, 2)]
    theirs = make_alert(UserFactory(), 3)

    response = page.post(reverse("notifications:alerts_read_all"), follow=True)

    assert response.redirect_chain == [(INBOX, 302)]
    assert all(Alert.objects.get(pk=a.pk).read_at for a in mine)
    assert Alert.objects.get(pk=theirs.pk).read_at is None
    html = response.content.decode()
    assert "2 alerts marked read." in html
    assert "No unread alert." in html
    assert reverse("notifications:alerts_read_all") not in html  # nothing left to mark


def test_opening_an_alert_marks_it_read_and_goes_on_to_its_page(page, user):
    alert = make_alert(user, 7, level=Level.WARNING, link="/contracts/7/")

    response = page.post(reverse("notifications:alert_open", args=[alert.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/contracts/7/"
    alert.refresh_from_db()
    assert alert.read_at is not None


@pytest.mark.parametrize(
    ("level", "link"),
    [(Level.BREACH, "breach"), (Level.WARNING, "/negotiations/3/"), (Level.OVERDUE, "/contracts/3/")],
)
def test_a_breach_alert_opens_its_breach_page_and_a_deadline_its_negotiation_or_contract(page, user, level, link):
    link = reverse("contracts:breach", args=[3]) if link == "breach" else link
    alert = make_alert(user, 3, level=level, link=link)

    response = page.post(reverse("notifications:alert_open", args=[alert.pk]))

    assert response["Location"] == link


def test_opening_an_alert_read_before_keeps_when_it_was_read(page, user):
    alert = make_alert(user, 1, read=True)
    first_read = Alert.objects.get(pk=alert.pk).read_at

    page.post(reverse("notifications:alert_open", args=[alert.pk]))

    assert Alert.objects.get(pk=alert.pk).read_at == first_read


@pytest.mark.parametrize(
    "link", ["https://evil.example/phish", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""]
)
def test_an_alert_whose_link_leaves_the_site_opens_the_inbox_instead(page, user, link):
    alert = make_alert(user, 1, link=link)

    response = page.post(reverse("notifications:alert_open", args=[alert.pk]))

    assert response.status_code == 302
    assert response["Location"] == INBOX
    alert.refresh_from_db()
    assert alert.read_at is not None


# --- preferences -------------------------------------------------------------------------------


def test_the_preferences_page_shows_the_defaults_of_someone_who_never_chose(page, user):
    response = page.get(PREFERENCES)

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<input type="radio" name="mode" value="immediate"[^>]*checked', html)
    assert re.search(r'<input type="radio" name="language" value="zh-hans"[^>]*checked', html)
    assert "简体中文" in html and "English" in html
    for level in Level.values:
        assert re.search(rf'<input type="checkbox" name="emailed_levels" value="{level}"[^>]*checked', html)
    # breaches and overdue deadlines cannot be unticked
    assert re.search(r'value="breach"[^>]*disabled', html)
    assert re.search(r'value="overdue"[^>]*disabled', html)
    assert not re.search(r'value="warning"[^>]*disabled', html)
    assert "daily_digest" not in re.sub(r'value="[^"]*"', "", html)  # the code is no word of the page
    assert not Preference.objects.filter(user=user).exists()  # reading the page saves nothing


def test_preferences_saved_on_the_page_decide_how_the_next_alert_is_e_mailed(page, user):
    # when the person chooses the daily digest, in English, without information alerts
    response = page.post(
        PREFERENCES,
        {"mode": Mode.DAILY_DIGEST, "language": "en", "emailed_levels": ["warning", "breach", "overdue"]},
        follow=True,
    )

    # then a notice says so and the page shows the choice
    assert response.redirect_chain == [(PREFERENCES, 302)]
    html = response.content.decode()
    assert "Your notification preferences are saved." in html
    assert re.search(r'<input type="radio" name="mode" value="daily_digest"[^>]*checked', html)
    assert not re.search(r'value="info"[^>]*checked', html)
    saved = Preference.objects.get(user=user)
    assert (saved.mode, saved.language, saved.opted_out_levels) == (Mode.DAILY_DIGEST, "en", ["info"])
    # and notifications' mailing decision follows it
    preference = preference_get(user=user)
    assert mailing_for(preference=preference, level=Level.WARNING) == Mailing.DIGEST
    assert mailing_for(preference=preference, level=Level.INFO) == Mailing.OFF
    (alert,) = alert_raise(
        recipients=[user.pk], level=Level.BREACH, template="breach_found", context=breach_context(), dedup_key="k:9"
    )
    assert alert.mailing == Mailing.DIGEST


def test_switching_back_to_one_e_mail_per_alert(page, user):
    Preference.objects.create(user=user, mode=Mode.DAILY_DIGEST, opted_out_levels=["info"])

    page.post(PREFERENCES, {"mode": Mode.IMMEDIATE, "language": "zh-hans", "emailed_levels": Level.values})

    saved = Preference.objects.get(user=user)
    assert (saved.mode, saved.opted_out_levels) == (Mode.IMMEDIATE, [])
    assert mailing_for(preference=saved, level=Level.INFO) == Mailing.IMMEDIATE


def test_turning_off_breaches_is_refused_with_the_services_words_and_nothing_changes(page, user):
    # a forged form that leaves out the breaches (the page offers no way to)
    response = page.post(PREFERENCES, {"mode": Mode.DAILY_DIGEST, "language": "en", "emailed_levels": ["overdue"]})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="problem" role="alert"' in html
    assert "Breaches and overdue deadlines are always e-mailed; they cannot be turned off." in html
    assert re.search(r'<input type="radio" name="mode" value="daily_digest"[^>]*checked', html)  # as it was sent
    assert not Preference.objects.filter(user=user, mode=Mode.DAILY_DIGEST).exists()


def test_a_choice_the_form_does_not_offer_is_refused_beside_its_field(page, user):
    response = page.post(PREFERENCES, {"mode": "hourly", "language": "fr", "emailed_levels": Level.values})

    assert response.status_code == 400
    assert response.content.decode().count('class="problem" role="alert"') == 2
    assert not Preference.objects.filter(user=user).exists()


def test_the_preferences_page_needs_a_login():
    response = Client().get(PREFERENCES)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- the count in the navigation ---------------------------------------------------------------


def test_unread_alert_count_is_the_users_own_unread_alerts_in_one_query(user, django_assert_num_queries):
    make_alert(user, 1)
    make_alert(user, 2)
    make_alert(user, 3, read=True)
    make_alert(UserFactory(), 4)
    request = RequestFactory().get("/")
    request.user = user

    with django_assert_num_queries(1):
        context = unread_alerts(request)

    assert context == {"unread_alert_count": 2}
    rendered = engines["django"].from_string(
        "{% load i18n %}{% blocktranslate count n=unread_alert_count %}{{ n }} unread alert"
        "{% plural %}{{ n }} unread alerts{% endblocktranslate %}"
    )
    with translation.override("en"):
        assert rendered.render(context) == "2 unread alerts"


def test_the_navigations_link_shows_the_unread_count_and_marks_the_inbox_current(page, user):
    make_alert(user, 1)

    html = page.get(INBOX).content.decode()
    nav_partial = engines["django"].engine.get_template("notifications/pages/_nav_link.html")
    request = RequestFactory().get(INBOX)
    with translation.override("en"):
        link = nav_partial.render(Context({"request": request, "unread_alert_count": 1}))

    assert f'href="{INBOX}" aria-current="page">Alerts <span class="count" aria-label="1 unread alert">1</span>' in link
    assert "hx-swap-oob" not in link
    assert "You have 1 unread alert." in html


def test_a_visitor_has_no_unread_alerts_and_costs_no_query(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with django_assert_num_queries(0):
        assert unread_alerts(request) == {"unread_alert_count": 0}


# --- in Chinese, every word of the pages is Chinese ---------------------------------------------


def words_left_in_english(response) -> set[str]:
    """The page's visible words in Latin letters, bar the brand, the language's own name, the
    rule codes, "API" (the menu's API令牌, as Chinese software writes it) and the reader's e-mail
    address."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    html = re.sub(r'aria-label="([^"]*)"', r"> \1 <", html)  # read aloud: a word too
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"\S+@\S+", " ", text)
    return set(re.findall(r"[A-Za-z]{2,}", text)) - {"Concord", "English", "API", "R8", "R13"}


def test_every_state_of_both_pages_reads_in_chinese(user):
    user.email, user.first_name = "", "王丽"
    user.save()
    client = Client()  # no Accept-Language: the site's default, Chinese
    client.force_login(user)
    chinese = {"enterprise": "华南纺织有限公司", "contract": "2026—2028年度集体合同", "title": "2026—2028年度集体合同"}
    empty = client.get(INBOX)
    make_alert(user, 1, context={**breach_context(), **chinese})
    make_alert(user, 2, level=Level.OVERDUE, context={**deadline_context(), **chinese})
    make_alert(user, 3, level=Level.WARNING, read=True, context={**deadline_context(), **chinese})

    pages = {
        "empty inbox": empty,
        "inbox": client.get(INBOX),
        "filtered to nothing": client.get(INBOX, {"level": Level.INFO}),
        "marked all read": client.post(reverse("notifications:alerts_read_all"), follow=True),
        "preferences": client.get(PREFERENCES),
        "preferences refused": client.post(PREFERENCES, {"language": "zh-hans"}),  # no mode
        "preferences saved": client.post(
            PREFERENCES, {"mode": Mode.DAILY_DIGEST, "language": "en", "emailed_levels": Level.values}, follow=True
        ),
    }

    assert "没有您的邮箱地址" in pages["preferences"].content.decode()
    assert "已将2条提醒标为已读" in pages["marked all read"].content.decode()
    assert {name: words_left_in_english(response) for name, response in pages.items()} == {
        name: set() for name in pages
    }
