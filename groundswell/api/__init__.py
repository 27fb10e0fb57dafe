"""The organisers' API (OSDI-shaped JSON under /api/v1/) and the pages that manage its tokens
and the organisation's webhook endpoints. Above the features, below composition."""
