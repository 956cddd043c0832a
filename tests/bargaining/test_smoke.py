import pytest

pytestmark = pytest.mark.django_db


def test_staffed_negotiation_can_hold_its_first_round(staffed_negotiation, union_user, client_for):
    response = client_for(union_user).post(
        f"/api/v1/negotiations/{staffed_negotiation.pk}/sessions/",
        {"held_at": "2026-11-20T09:00:00+08:00", "location": "Room 3"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["round_no"] == 1
    assert response.json()["chair_side"] == "union"
