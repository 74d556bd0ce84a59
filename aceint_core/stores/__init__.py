"""Token stores shared by processes: a JSON file (one machine) or a SQL database (any number of hosts).

Both implement `aceint_core.token_store.TokenStore`; `token_store_from_url` builds one from a setting.
"""

from aceint_core.stores.errors import TokenStoreError
from aceint_core.stores.factory import token_store_from_url
from aceint_core.stores.file_store import FileTokenStore
from aceint_core.stores.sql_store import SQLTokenStore

__all__ = ["FileTokenStore", "SQLTokenStore", "TokenStoreError", "token_store_from_url"]
