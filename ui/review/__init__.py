"""The review window: grid, compare, loupe, culling, contact sheets and export."""
