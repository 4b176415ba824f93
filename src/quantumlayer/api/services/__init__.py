"""The API's services: what the routes call. Each function takes its session (or the API
state) explicitly and raises errors from the one hierarchy."""
