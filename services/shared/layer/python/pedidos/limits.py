"""The bounds of every value Pedidos accepts: the models' field types and every check are built on these.

What a write can produce, a read must accept: each bound here limits what a caller
may send, and the models that read data back accept at least what the writes built
on it can store. Standard library only, so the authorizer reads them without
loading the models.
"""

# Every amount, and so what an order's total may be: far inside DynamoDB's 38 digits
# and inside the integers a JavaScript client reads exactly (2**53).
MAX_CENTS = 100_000_000_000
# What an administrator may set a product's stock to. Cancelled orders give units back on
# top of it, so a product's stock as read has no upper bound of its own.
MAX_STOCK_SET = 1_000_000_000
# A customer id is a token's `sub` and part of the keys its orders are listed under: well
# inside DynamoDB's 2,048-byte partition keys (256 characters are at most 1,024 bytes).
# Only new subjects are bounded; the order models read whatever was stored.
CUSTOMER_ID_MAX_LENGTH = 256
# How many items a hot product's stock may be split over (data/stock.py): an administrator's
# change writes the product and every bucket in one transaction (at most 100 items), and a
# confirmation's transaction holds the order, up to 50 lines and the buckets a split take
# adds. 16 buckets take 16 x 1,000 write units a second: the top product of `make capacity`
# needs 8 at 5,000 orders a second, so 16 reach past 10,000 with each bucket under half full.
MAX_STOCK_BUCKETS = 16
