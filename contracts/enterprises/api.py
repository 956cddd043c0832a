"""API for enterprises and the roles people hold in them."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config import limits
from contracts.enterprises.access import enterprise_list
from contracts.enterprises.models import Enterprise, Membership, Role
from contracts.enterprises.services import enterprise_update, membership_add


class EnterpriseSerializer(serializers.ModelSerializer):
    federation_name = serializers.CharField(source="federation.name", read_only=True)
    local_minimum_wage_since = limits.DateField(required=False, allow_null=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "union_name",
            "federation",
            "federation_name",
            "rule_pack",
            "local_minimum_wage",
            "local_minimum_wage_since",
        ]
        read_only_fields = ["id", "name", "union_name", "federation", "federation_name"]
        extra_kwargs = {"local_minimum_wage": {"min_value": 0}}


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.get_username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "role"]
        read_only_fields = ["id", "user", "username", "role"]


class MemberInputSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=[r for r in Role.choices if r[0] != Role.FEDERATION_OFFICER])


class EnterpriseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Employers with their union; an enterprise administrator sets the rule pack and minimum wage."""

    serializer_class = EnterpriseSerializer
    filterset_fields = ["federation", "rule_pack"]

    def get_queryset(self):
        return enterprise_list(user=self.request.user).select_related("federation")

    def perform_update(self, serializer):
        serializer.instance = enterprise_update(
            user=self.request.user, enterprise=serializer.instance, **serializer.validated_data
        )

    @extend_schema(responses=MemberSerializer(many=True))
    @action(detail=True, methods=["get"])
    def members(self, request, pk=None):
        enterprise = self.get_object()
        memberships = enterprise.memberships.select_related("user").order_by("user__username", "role")
        return Response(MemberSerializer(memberships, many=True).data)

    @extend_schema(request=MemberInputSerializer, responses={201: MemberSerializer})
    @members.mapping.post
    def add_member(self, request, pk=None):
        enterprise = self.get_object()
        data = MemberInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = get_object_or_404(get_user_model(), username=data.validated_data["username"])
        membership = membership_add(
            user=request.user, enterprise=enterprise, member=member, role=data.validated_data["role"]
        )
        return Response(MemberSerializer(membership).data, status=201)
