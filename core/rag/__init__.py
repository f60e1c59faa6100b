"""core.rag"""
