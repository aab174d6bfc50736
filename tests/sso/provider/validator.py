from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

# The provider's accounts are plain Django users (username = e-mail address). Two markers on
# them make it misbehave the way a real provider can:
UNVERIFIED = "unverified"  # last_name: the token says email_verified = false
WRONG_NONCE = "wrongnonce"  # first_name: the ID token carries a nonce the client never sent


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim in every token, as many school providers do

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            "email_verified": user.last_name != UNVERIFIED,
            "given_name": "Sam",
            "family_name": "Schoolaccount",
        }

    def finalize_id_token(self, id_token: Any, token: Any, token_handler: Any, request: Any):
        if request.user.first_name == WRONG_NONCE:
            id_token["nonce"] = "niet-de-nonce-van-de-client"
        return super().finalize_id_token(id_token, token, token_handler, request)
