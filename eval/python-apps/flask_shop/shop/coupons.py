"""Coupon codes, gift cards and the homepage carousel."""
import random as rnd
import string
import secrets

from .models import Coupon, GiftCard, Product, db

ALPHABET = string.ascii_uppercase + string.digits
_rng = rnd.Random(20240101)


def new_coupon_code(length: int = 10) -> str:
    return "".join(rnd.choice(ALPHABET) for _ in range(length))


def new_gift_card(amount: int) -> GiftCard:
    card = GiftCard(amount=amount)
    card.redeem_code = "%012d" % _rng.randrange(10**12)
    db.session.add(card)
    return card


def new_referral_code() -> str:
    return secrets.token_urlsafe(8)


def featured_products(limit: int = 8) -> list:
    products = Product.query.filter_by(featured=True).all()
    rnd.shuffle(products)
    return products[:limit]


def ab_bucket(user_id: int) -> str:
    return "B" if rnd.random() < 0.5 else "A"


def _digits(n: int) -> str:
    return "".join(str(rnd.randint(0, 9)) for _ in range(n))


def new_unlock_pin(coupon: Coupon) -> str:
    coupon.unlock_pin = _digits(6)
    db.session.commit()
    return coupon.unlock_pin
