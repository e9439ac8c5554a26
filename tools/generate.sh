#!/usr/bin/env bash
# Regenerates everything generated from the API (README, "Generated code"):
#   openapi/tenantry.json, openapi/tenantry_admin.json   written by building the server
#   src/Tenantry.Client/Generated/*.g.cs                  NSwag (dotnet tool, dotnet-tools.json)
#   clients/typescript/src/generated/*.ts                 openapi-typescript (clients/typescript/package-lock.json)
# Usage: tools/generate.sh [--no-build]   (--no-build: the server was just built, openapi/ is current)
# After merging branches that add endpoints, run it and commit what changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [[ ${1:-} != --no-build ]]; then
    dotnet build src/Tenantry.Server -c Release -v quiet -nologo
fi

dotnet tool restore >/dev/null
# The operator client reuses the public client's ApiResponse and ApiException (one error path for both).
nswag() {
    local input=$1 output=$2 namespace=$3 class=$4 shared=$5
    dotnet tool run nswag openapi2csclient "/input:$input" "/output:$output" "/namespace:$namespace" "/className:$class" $shared \
        /operationGenerationMode:SingleClientFromOperationId /generateClientInterfaces:false /useBaseUrl:false \
        /injectHttpClient:true /disposeHttpClient:false /wrapResponses:true /responseClass:ApiResponse /exceptionClass:ApiException \
        /generateOptionalParameters:true /jsonLibrary:SystemTextJson /generateNullableReferenceTypes:true \
        /generateOptionalPropertiesAsNullable:true /arrayType:System.Collections.Generic.List \
        /arrayInstanceType:System.Collections.Generic.List /arrayBaseType:System.Collections.Generic.List \
        /dateTimeType:System.DateTimeOffset /classStyle:Poco /generateDataAnnotations:false >/dev/null
}
if [[ ! -d clients/typescript/node_modules ]]; then
    echo "clients/typescript/node_modules is missing: run 'npm ci' in clients/typescript first" >&2
    exit 1
fi
# The generators are independent: they run side by side (a failing one fails the script).
nswag openapi/tenantry.json src/Tenantry.Client/Generated/TenantryApi.g.cs Tenantry.Client.Api TenantryApi "" &
public=$!
nswag openapi/tenantry_admin.json src/Tenantry.Client/Generated/TenantryAdminApi.g.cs Tenantry.Client.Api.Operator TenantryAdminApi \
    "/generateResponseClasses:false /generateExceptionClasses:false /additionalNamespaceUsages:Tenantry.Client.Api" &
admin=$!
(cd clients/typescript && npm run --silent generate)
wait "$public"
wait "$admin"
echo "Generated code is up to date with the server."
