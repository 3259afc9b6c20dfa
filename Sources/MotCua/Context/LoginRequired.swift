/// Thrown when a page needs a signed-in account: pages redirect to the login page, the API answers 401.
struct LoginRequired: Error {}
