"""REST machinery shared by every app's API: token authentication, the error format,
pagination, policy-based permissions and viewsets, model-validated serializers."""
