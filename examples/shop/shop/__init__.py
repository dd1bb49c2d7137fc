"""A small shop: customers, products, orders and their items, kept in sqlite."""
