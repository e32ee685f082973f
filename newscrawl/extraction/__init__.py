"""What every page shares, whichever site it comes from (pure rules, no site names)."""
