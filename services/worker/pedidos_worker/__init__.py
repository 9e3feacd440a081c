"""The orders-queue consumer: decides pending orders and gives cancelled stock back."""
