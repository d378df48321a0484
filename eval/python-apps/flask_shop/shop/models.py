from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(200), unique=True)
    password_hash = db.Column(db.String(200))
    is_staff = db.Column(db.Boolean, default=False)


class Order(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    ref = db.Column(db.String(40), unique=True)
    total_cents = db.Column(db.Integer)
    status = db.Column(db.String(20))


class Product(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    featured = db.Column(db.Boolean, default=False)


class Coupon(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    unlock_pin = db.Column(db.String(6))


class GiftCard(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    amount = db.Column(db.Integer)
    redeem_code = db.Column(db.String(12))
