from django.http import HttpResponse


def inbox(request):
    return HttpResponse("工作台")
