"""The store: price sheets and products, carts, coupons, orders and payments."""
