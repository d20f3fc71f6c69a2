from django_tasks import task


@task()
def tick() -> str:
    return "tick"
