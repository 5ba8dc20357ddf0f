import pytest

from warehouse.rates import Rate, normalise_basis, parse_rate


@pytest.mark.parametrize(
    "text, basis, expected",
    [
        ("₹437,947/post", "post", Rate(fee_per_post=437947)),
        ("12.3% commission", "order", Rate(commission_pct=12.3)),
        ("₹53,375/post + 6.2%", "hybrid", Rate(fee_per_post=53375, commission_pct=6.2)),
        ("₹120/order", "order", Rate(per_order=120)),
        ("Rs. 500 / video", "post", Rate(fee_per_post=500)),
        ("246.94", "order", Rate(per_order=246.94)),
        ("571.17", "post", Rate(fee_per_post=571.17)),
        ("0.12", "commission", Rate(commission_pct=12.0)),
        ("8", "commission", Rate(commission_pct=8.0)),
        ("", "post", Rate()),
        ("₹2,500 per post", "post", Rate(fee_per_post=2500)),
        ("Rs 6k/reel", "post", Rate(fee_per_post=6000)),
        ("₹1,00,000/post + 5%", "hybrid", Rate(fee_per_post=100000, commission_pct=5)),
        ("INR 120 per order", "order", Rate(per_order=120)),
        ("1.5L", "post", Rate(fee_per_post=150000)),
        ("Rs. 2,500/-", "post", Rate(fee_per_post=2500)),
    ],
)
def test_parse_rate(text, basis, expected):
    assert parse_rate(text, basis) == expected


@pytest.mark.parametrize("text, basis", [("5000", "hybrid"), ("lots", "post"), ("free-ish", "order")])
def test_rates_that_say_nothing_usable(text, basis):
    assert parse_rate(text, basis) is None


def test_basis_spellings():
    assert normalise_basis(" Per Post ") == "post" and normalise_basis("per-order") == "order"
    assert normalise_basis("HYBRID") == "hybrid" and normalise_basis("barter-ish") is None
