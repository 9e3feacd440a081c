# Pedidos' api and worker under serverless offline, as docker-compose.yml runs
# them: `python -m devstack serve api|worker`, `python -m devstack provision`.
FROM node:20.19-bookworm-slim

# Debian's Python 3.11: the code runs on 3.11+, the Lambda runtime is 3.13.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# npm ci runs package.json's postinstall, devstack/offline_fix.py (stdlib only), as under make.
COPY package.json package-lock.json ./
COPY tools/serverless-bytecode tools/serverless-bytecode
COPY tools/serverless-console-files tools/serverless-console-files
COPY devstack/offline_fix.py devstack/offline_fix.py
RUN npm ci --no-audit --no-fund --loglevel=error

COPY requirements-dev.txt constraints.txt ./
COPY services/shared/requirements.txt services/shared/requirements.txt
RUN python3 -m venv .venv \
 && .venv/bin/pip install --no-cache-dir --disable-pip-version-check -r requirements-dev.txt -c constraints.txt

COPY . .

ENV VIRTUAL_ENV=/app/.venv \
    PATH=/app/.venv/bin:/app/node_modules/.bin:$PATH \
    PYTHONPATH=/app/services/shared/layer/python:/app/services/api:/app/services/worker:/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PEDIDOS_BIND_HOST=0.0.0.0

ENTRYPOINT ["python", "-m", "devstack"]
